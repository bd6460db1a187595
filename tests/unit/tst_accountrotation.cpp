#include "workers/accountrotation.h"

#include <QTest>

using namespace huntaze::relay;

// A sync pass cut short (rate limit, patience) must not keep serving the same leading
// accounts: the ones visited longest ago come first, never-visited ones before all.
class AccountRotationTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void neverVisitedKeepTheDatabaseOrder() {
        AccountRotation rotation;
        QCOMPARE(rotation.order({7, 3, 9}, 10), (QList<qsizetype>{0, 1, 2}));
        QCOMPARE(rotation.order({7, 3, 9}, 2), (QList<qsizetype>{0, 1}));
    }
    void passesCutShortReachEveryAccountInTurn() {
        AccountRotation rotation;
        const QList<qint64> ids{1, 2, 3, 4, 5};
        QSet<qint64> reached;
        qint64 now = 1000;
        // Each pass gets through two accounts only.
        for (int pass = 0; pass < 3; ++pass)
            for (qsizetype at : rotation.order(ids, 2)) {
                rotation.visited(ids.at(at), ++now);
                reached.insert(ids.at(at));
            }
        QCOMPARE(reached.size(), 5);
        // Passes went 1 2 | 3 4 | 5 1: the account visited longest ago, 2, is next.
        QCOMPARE(ids.at(rotation.order(ids, 1).first()), qint64(2));
    }
    void newAccountGoesFirst() {
        AccountRotation rotation;
        rotation.visited(1, 10);
        rotation.visited(2, 20);
        QCOMPARE(rotation.order({1, 2, 3}, 3), (QList<qsizetype>{2, 0, 1}));
    }
};

QTEST_GUILESS_MAIN(AccountRotationTest)
#include "tst_accountrotation.moc"
