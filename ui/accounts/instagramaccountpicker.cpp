#include "instagramaccountpicker.h"

#include "avatarcache.h"
#include "net/relayclient.h"
#include "shell/statuslabel.h"

#include <QDialogButtonBox>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace huntaze::ui {

namespace {
constexpr int kIdRole = Qt::UserRole;
constexpr int kPictureRole = Qt::UserRole + 1;

QString field(const QJsonObject &object, const char *name) {
    return object.value(QLatin1String(name)).toString();
}
} // namespace

InstagramAccountPicker::InstagramAccountPicker(net::RelayClient *relay, qint64 accountId,
                                               const QJsonObject &instagram, AvatarCache *avatars,
                                               QWidget *parent)
    : QDialog(parent)
    , m_relay(relay)
    , m_accountId(accountId)
    , m_avatars(avatars)
    , m_candidates(new QListWidget(this))
    , m_status(new StatusLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this)) {
    setObjectName(QStringLiteral("instagramAccountPicker"));
    setWindowTitle(tr("Choose Instagram accounts"));
    auto *intro = new QLabel(tr("This Facebook login reaches several Instagram professional "
                                "accounts. Tick the ones Huntaze should publish to and follow."),
                             this);
    intro->setWordWrap(true);

    QStringList selected;
    for (const QJsonValue &id : instagram.value(QStringLiteral("selected")).toArray())
        selected << id.toString();
    m_candidates->setObjectName(QStringLiteral("instagramCandidates"));
    m_candidates->setIconSize(QSize(40, 40));
    m_candidates->setSpacing(2);
    for (const QJsonValue &value : instagram.value(QStringLiteral("candidates")).toArray()) {
        const QJsonObject candidate = value.toObject();
        const QString id = field(candidate, "ig_business_id");
        QString line = QStringLiteral("@") + field(candidate, "username");
        if (const QString name = field(candidate, "name"); !name.isEmpty())
            line += QStringLiteral(" · ") + name;
        line += QLatin1Char('\n') + tr("Facebook Page: %1").arg(field(candidate, "page_name"));
        auto *item = new QListWidgetItem(line, m_candidates);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(selected.contains(id) ? Qt::Checked : Qt::Unchecked);
        item->setData(kIdRole, id);
        const QUrl picture(field(candidate, "profile_picture_url"));
        item->setData(kPictureRole, picture);
        if (m_avatars)
            item->setIcon(m_avatars->icon(picture)); // empty until fetched; ready() follows
        if (const QString level = field(candidate, "access_level"); !level.isEmpty())
            item->setToolTip(tr("Access: %1").arg(level));
    }
    connect(m_candidates, &QListWidget::itemChanged, this, &InstagramAccountPicker::updateOk);
    if (m_avatars)
        connect(m_avatars, &AvatarCache::ready, this, &InstagramAccountPicker::showPicture);

    m_status->setObjectName(QStringLiteral("pickerStatus"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &InstagramAccountPicker::send);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_candidates, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
    resize(460, 360);
    updateOk();
}

QStringList InstagramAccountPicker::checkedIds() const {
    QStringList ids;
    for (int row = 0; row < m_candidates->count(); ++row)
        if (const QListWidgetItem *item = m_candidates->item(row);
            item->checkState() == Qt::Checked)
            ids << item->data(kIdRole).toString();
    return ids;
}

void InstagramAccountPicker::updateOk() {
    QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setEnabled(!m_sending && m_relay && !checkedIds().isEmpty());
    ok->setText(m_sending ? tr("Saving…") : tr("Use these accounts"));
}

void InstagramAccountPicker::showPicture(const QUrl &url) {
    for (int row = 0; row < m_candidates->count(); ++row)
        if (QListWidgetItem *item = m_candidates->item(row);
            item->data(kPictureRole).toUrl() == url)
            item->setIcon(m_avatars->icon(url));
}

void InstagramAccountPicker::send() {
    const QStringList ids = checkedIds();
    if (!m_relay || ids.isEmpty() || m_sending)
        return;
    m_sending = true;
    m_status->clearProblem();
    updateOk();
    QPointer<InstagramAccountPicker> self(this);
    m_relay->selectInstagramAccounts(m_accountId, ids, [self](const Result<QJsonObject> &answer) {
        if (!self)
            return;
        self->m_sending = false;
        self->updateOk();
        if (!answer) {
            self->m_status->showProblem(answer.error().message);
            return;
        }
        Q_EMIT self->chosen(*answer);
        self->accept();
    });
}

} // namespace huntaze::ui
