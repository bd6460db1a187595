#pragma once

#include <QWidget>

class QTabWidget;

namespace huntaze::ui {

class InstagramPublishPage;
class MultiPublishPage;
class PublishPage;
class RedditPublishPage;
class XPublishPage;

// The Publish section: one tab per platform, each with the form its platform needs
// (TikTok's inbox/direct settings, Instagram's kinds and quota, Reddit's subreddit and
// flair, X's media), and one for a post to several platforms at once.
class PublishSection : public QWidget {
    Q_OBJECT
public:
    explicit PublishSection(QWidget *parent = nullptr);
    PublishPage *tiktok() const { return m_tiktok; }
    InstagramPublishPage *instagram() const { return m_instagram; }
    RedditPublishPage *reddit() const { return m_reddit; }
    XPublishPage *x() const { return m_x; }
    MultiPublishPage *multi() const { return m_multi; }
    void showInstagram();

Q_SIGNALS:
    void published(const QList<qint64> &ids);

private:
    QTabWidget *m_tabs = nullptr;
    PublishPage *m_tiktok = nullptr;
    InstagramPublishPage *m_instagram = nullptr;
    RedditPublishPage *m_reddit = nullptr;
    XPublishPage *m_x = nullptr;
    MultiPublishPage *m_multi = nullptr;
};

} // namespace huntaze::ui
