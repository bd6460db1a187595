#include "sectionpage.h"

#include "sectionparts.h"

#include <QLabel>
#include <QVBoxLayout>

namespace huntaze::ui {

SectionPage::SectionPage(const QString &title, const QString &emptyText, QWidget *parent)
    : QWidget(parent)
    , m_title(createSectionTitle(title, this)) {
    QLabel *empty = createEmptyStateLabel(emptyText, this);
    empty->setObjectName(QStringLiteral("emptyState"));

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
