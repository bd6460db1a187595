#include "instagramsetup.h"

#include "instagramaccountpicker.h"
#include "net/relayclient.h"
#include "shell/problemcolor.h"

#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace huntaze::ui {

InstagramSetup::InstagramSetup(AvatarCache *avatars, QWidget *parent)
    : QFrame(parent)
    , m_avatars(avatars)
    , m_message(new QLabel(this))
    , m_checkAgain(new QPushButton(tr("Check again"), this))
    , m_connectAgain(new QPushButton(tr("Connect again"), this)) {
    setObjectName(QStringLiteral("instagramSetup"));
    setFrameShape(QFrame::StyledPanel);
    // Prominent: what stands between the creator and publishing to Instagram.
    setStyleSheet(QStringLiteral("#instagramSetup { border: 2px solid %1; border-radius: 6px; }")
                      .arg(problemColor().name()));
    m_message->setObjectName(QStringLiteral("instagramProblem"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_message->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.1);
    m_message->setFont(bold);
    m_message->setStyleSheet(QStringLiteral("color: %1;").arg(problemColor().name()));
    m_checkAgain->setObjectName(QStringLiteral("checkInstagramAgain"));
    m_checkAgain->setToolTip(tr("Once you have fixed it on Facebook or Instagram, ask again "
                                "without signing in again."));
    m_connectAgain->setObjectName(QStringLiteral("connectInstagramAgain"));
    m_connectAgain->setToolTip(tr("Sign in to Facebook again, for example to grant a "
                                  "permission you declined."));
    connect(m_checkAgain, &QPushButton::clicked, this, &InstagramSetup::checkAgain);
    connect(m_connectAgain, &QPushButton::clicked, this, &InstagramSetup::connectAgainRequested);

    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_checkAgain);
    buttons->addWidget(m_connectAgain);
    buttons->addStretch(1);
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_message, 1);
    layout->addLayout(buttons);
    hide();
}

void InstagramSetup::setRelay(net::RelayClient *relay) {
    m_relay = relay;
    setBusy(false);
}

void InstagramSetup::evaluate(qint64 accountId, const QJsonObject &instagram) {
    QStringList notes;
    for (const QJsonValue &warning : instagram.value(QStringLiteral("warnings")).toArray())
        if (const QString message = warning.toObject().value(QStringLiteral("message")).toString();
            !message.isEmpty())
            notes << message;
    if (notes != m_warnings.value(accountId)) {
        m_warnings.insert(accountId, notes);
        Q_EMIT notesChanged();
    }

    const QJsonObject problem = instagram.value(QStringLiteral("problem")).toObject();
    if (!problem.isEmpty()) {
        QString message = problem.value(QStringLiteral("message")).toString();
        if (message.isEmpty()) // never blank: the code at least says what to quote to support
            message = problem.value(QStringLiteral("code")).toString();
        showProblem(accountId, message);
        return;
    }
    if (m_problemAccount == accountId) {
        m_problemAccount = 0;
        hide();
    }
    if (instagram.value(QStringLiteral("candidates")).toArray().size() > 1 &&
        instagram.value(QStringLiteral("selected")).toArray().isEmpty())
        openPicker(accountId, instagram);
}

void InstagramSetup::checkAgain() {
    if (m_problemAccount != 0)
        ask(m_problemAccount, false);
}

void InstagramSetup::chooseAccounts(qint64 accountId) {
    ask(accountId, true);
}

void InstagramSetup::ask(qint64 accountId, bool openPicker) {
    if (!m_relay || m_busy)
        return;
    setBusy(true);
    QPointer<InstagramSetup> self(this);
    m_relay->instagramAccounts(
        accountId, [self, accountId, openPicker](const Result<QJsonObject> &answer) {
            if (!self)
                return;
            self->setBusy(false);
            if (!answer) {
                self->showProblem(accountId, answer.error().message);
                return;
            }
            self->evaluate(accountId, *answer);
            // Asked for on purpose: the picker opens even with accounts already chosen.
            if (openPicker && !self->m_picker && self->m_problemAccount != accountId &&
                !answer->value(QStringLiteral("candidates")).toArray().isEmpty())
                self->openPicker(accountId, *answer);
        });
}

void InstagramSetup::showProblem(qint64 accountId, const QString &message) {
    m_problemAccount = accountId;
    m_message->setText(message);
    show();
}

void InstagramSetup::setBusy(bool busy) {
    m_busy = busy;
    m_checkAgain->setEnabled(!busy && m_relay);
    m_checkAgain->setText(busy ? tr("Checking…") : tr("Check again"));
    m_connectAgain->setEnabled(!busy);
}

void InstagramSetup::openPicker(qint64 accountId, const QJsonObject &instagram) {
    if (m_picker)
        return; // one at a time: the open one already asks
    auto *picker = new InstagramAccountPicker(m_relay, accountId, instagram, m_avatars, this);
    picker->setAttribute(Qt::WA_DeleteOnClose);
    m_picker = picker;
    connect(picker, &InstagramAccountPicker::chosen, this,
            [this, accountId](const QJsonObject &answer) {
                evaluate(accountId, answer);
                Q_EMIT accountsChosen(accountId);
            });
    picker->open();
}

QStringList InstagramSetup::warnings(qint64 accountId) const {
    return m_warnings.value(accountId);
}

InstagramAccountPicker *InstagramSetup::picker() const {
    return m_picker;
}

QString InstagramSetup::problemText() const {
    return isHidden() ? QString() : m_message->text();
}

} // namespace huntaze::ui
