#include "replybox.h"

#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace huntaze::ui {

ReplyBox::ReplyBox(QWidget *parent)
    : QWidget(parent)
    , m_recipient(new QLabel(this))
    , m_text(new QPlainTextEdit(this))
    , m_reply(new QPushButton(tr("Reply"), this)) {
    m_recipient->setObjectName(QStringLiteral("replyRecipient"));
    m_text->setObjectName(QStringLiteral("replyText"));
    m_text->setTabChangesFocus(true);
    // About three lines: a comment's answer, not a letter.
    m_text->setFixedHeight(QFontMetrics(m_text->font()).lineSpacing() * 3 + 12);
    m_reply->setObjectName(QStringLiteral("replyButton"));
    m_reply->setDefault(true);
    connect(m_text, &QPlainTextEdit::textChanged, this, &ReplyBox::updateButton);
    connect(m_reply, &QPushButton::clicked, this, [this] {
        if (m_reply->isEnabled())
            Q_EMIT replyRequested(text());
    });

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_text, 1);
    row->addWidget(m_reply, 0, Qt::AlignBottom);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_recipient);
    layout->addLayout(row);
    setRecipient({});
}

void ReplyBox::setRecipient(const QString &username, const QString &whyNot) {
    m_hasRecipient = !username.isEmpty() && whyNot.isEmpty();
    if (m_hasRecipient)
        m_recipient->setText(tr("Reply to @%1:").arg(username));
    else
        m_recipient->setText(whyNot.isEmpty() ? tr("Select a comment to reply to it.") : whyNot);
    m_text->setEnabled(m_hasRecipient);
    m_text->setPlaceholderText(m_hasRecipient ? tr("Write your reply…") : QString());
    updateButton();
}

void ReplyBox::setBusy(bool busy) {
    m_busy = busy;
    m_reply->setText(busy ? tr("Replying…") : tr("Reply"));
    updateButton();
}

QString ReplyBox::text() const {
    return m_text->toPlainText().trimmed();
}

void ReplyBox::clear() {
    m_text->clear();
}

void ReplyBox::updateButton() {
    m_reply->setEnabled(m_hasRecipient && !m_busy && !text().isEmpty());
}

} // namespace huntaze::ui
