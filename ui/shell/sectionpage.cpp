#include "sectionpage.h"

#include <QLabel>
#include <QVBoxLayout>

namespace huntaze::ui {

SectionPage::SectionPage(const QString &title, const QString &emptyText, QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(title, this)) {
    QFont headingFont = m_title->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.6);
    headingFont.setBold(true);
    m_title->setFont(headingFont);
    m_title->setObjectName(QStringLiteral("sectionTitle"));

    auto *empty = new QLabel(emptyText, this);
    empty->setObjectName(QStringLiteral("emptyState"));
    empty->setWordWrap(true);
    empty->setAlignment(Qt::AlignCenter);
    empty->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addStretch(1);
    layout->addWidget(empty);
    layout->addStretch(2);
}

QString SectionPage::title() const {
    return m_title->text();
}

} // namespace huntaze::ui
