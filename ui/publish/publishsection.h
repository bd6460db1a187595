#pragma once

#include <QWidget>

class QTabWidget;

namespace huntaze::ui {

class InstagramPublishPage;
class PublishPage;

// The Publish section: one tab per platform, each with the form its platform needs
// (TikTok's inbox/direct settings, Instagram's kinds and quota).
class PublishSection : public QWidget {
    Q_OBJECT
public:
    explicit PublishSection(QWidget *parent = nullptr);
    PublishPage *tiktok() const { return m_tiktok; }
    InstagramPublishPage *instagram() const { return m_instagram; }
    void showInstagram();

Q_SIGNALS:
    void published(const QList<qint64> &ids);

private:
    QTabWidget *m_tabs = nullptr;
    PublishPage *m_tiktok = nullptr;
    InstagramPublishPage *m_instagram = nullptr;
};

} // namespace huntaze::ui
