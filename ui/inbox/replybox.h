#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace huntaze::ui {

// Where the creator writes an answer to the selected comment: who it goes to, the text,
// and Reply. While a reply is on its way the button stays off, so one click posts once.
class ReplyBox : public QWidget {
    Q_OBJECT
public:
    explicit ReplyBox(QWidget *parent = nullptr);

    // The comment's author ("" when nothing can be answered: no selection, no relay).
    void setRecipient(const QString &username, const QString &whyNot = {});
    void setBusy(bool busy);
    QString text() const;
    void clear();

Q_SIGNALS:
    void replyRequested(const QString &text);

private:
    void updateButton();

    QLabel *m_recipient;
    QPlainTextEdit *m_text;
    QPushButton *m_reply;
    bool m_hasRecipient = false;
    bool m_busy = false;
};

} // namespace huntaze::ui
