#include "welcomedialog.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace huntaze::ui {

WelcomeDialog::WelcomeDialog(QWidget *parent)
    : QDialog(parent) {
    setObjectName(QStringLiteral("welcomeDialog"));
    setWindowTitle(tr("Welcome to Huntaze"));
    setModal(true);

    auto *heading = new QLabel(tr("Welcome to Huntaze"), this);
    QFont headingFont = heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.4);
    headingFont.setBold(true);
    heading->setFont(headingFont);
    auto *about = new QLabel(
        tr("Publish videos and photos to TikTok, Instagram, Reddit and X from this computer. "
           "Everything the platforms report back (post status, comments, insights) stays in one "
           "place."),
        this);
    about->setObjectName(QStringLiteral("welcomeText"));
    about->setWordWrap(true);
    auto *how = new QLabel(tr("Sandbox mode lets you try it all now with stand-ins for the "
                              "platforms: no developer account needed. When you have a relay, "
                              "pair with it to publish for real."),
                           this);
    how->setWordWrap(true);

    auto *sandbox = new QPushButton(tr("Try sandbox mode"), this);
    sandbox->setObjectName(QStringLiteral("welcomeSandbox"));
    sandbox->setDefault(true);
    sandbox->setToolTip(tr("Starts a local database, the sandbox platforms and a local relay on "
                           "this computer. No developer account needed."));
    auto *pair = new QPushButton(tr("Pair with a relay\u2026"), this);
    pair->setObjectName(QStringLiteral("welcomePair"));
    pair->setAutoDefault(false);
    auto *later = new QPushButton(tr("Later"), this);
    later->setObjectName(QStringLiteral("welcomeLater"));
    later->setAutoDefault(false);
    connect(sandbox, &QPushButton::clicked, this, [this] { choose(Choice::Sandbox); });
    connect(pair, &QPushButton::clicked, this, [this] { choose(Choice::Pair); });
    connect(later, &QPushButton::clicked, this, [this] { choose(Choice::Later); });

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(later);
    buttons->addStretch(1);
    buttons->addWidget(pair);
    buttons->addWidget(sandbox);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(about);
    layout->addWidget(how);
    layout->addSpacing(8);
    layout->addLayout(buttons);
    setMinimumWidth(480);
    sandbox->setFocus();
}

void WelcomeDialog::reject() {
    if (!m_chosen)
        choose(Choice::Later); // closed or Escape: decide later
    else
        QDialog::reject();
}

void WelcomeDialog::choose(Choice choice) {
    if (m_chosen)
        return;
    m_chosen = true;
    Q_EMIT chosen(choice);
    done(choice == Choice::Later ? Rejected : Accepted);
}

} // namespace huntaze::ui
