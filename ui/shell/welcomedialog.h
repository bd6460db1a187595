#pragma once

#include <QDialog>

namespace huntaze::ui {

// The first-run welcome: what Huntaze is, and the two ways in: sandbox mode (nothing to
// set up, the default) or pairing with a relay. Non-blocking: open() it and listen to
// chosen(); closing it counts as Later.
class WelcomeDialog : public QDialog {
    Q_OBJECT
public:
    enum class Choice { Sandbox, Pair, Later };
    Q_ENUM(Choice)

    explicit WelcomeDialog(QWidget *parent = nullptr);

    void reject() override;

Q_SIGNALS:
    void chosen(huntaze::ui::WelcomeDialog::Choice choice);

private:
    void choose(Choice choice);
    bool m_chosen = false;
};

} // namespace huntaze::ui
