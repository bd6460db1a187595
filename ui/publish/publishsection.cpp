#include "publishsection.h"

#include "instagrampublishpage.h"
#include "multipublishpage.h"
#include "publishpage.h"
#include "redditpublishpage.h"
#include "xpublishpage.h"

#include <QTabWidget>
#include <QVBoxLayout>

namespace huntaze::ui {

PublishSection::PublishSection(QWidget *parent)
    : QWidget(parent)
    , m_tabs(new QTabWidget)
    , m_tiktok(new PublishPage)
    , m_instagram(new InstagramPublishPage)
    , m_reddit(new RedditPublishPage)
    , m_x(new XPublishPage)
    , m_multi(new MultiPublishPage) {
    m_tabs->setObjectName(QStringLiteral("publishPlatforms"));
    m_tabs->addTab(m_tiktok, tr("TikTok"));
    m_tabs->addTab(m_instagram, tr("Instagram"));
    m_tabs->addTab(m_reddit, tr("Reddit"));
    m_tabs->addTab(m_x, tr("X"));
    m_tabs->addTab(m_multi, tr("Several platforms"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    connect(m_tiktok, &PublishPage::published, this, &PublishSection::published);
    connect(m_instagram, &InstagramPublishPage::published, this, &PublishSection::published);
    connect(m_reddit, &RedditPublishPage::published, this, &PublishSection::published);
    connect(m_x, &XPublishPage::published, this, &PublishSection::published);
    connect(m_multi, &MultiPublishPage::published, this, &PublishSection::published);
}

void PublishSection::showInstagram() {
    m_tabs->setCurrentWidget(m_instagram);
}

} // namespace huntaze::ui
