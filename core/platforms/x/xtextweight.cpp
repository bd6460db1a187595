#include "xtextweight.h"

#include <QList>
#include <QRegularExpression>

namespace huntaze::x {

namespace {
// Code points twitter-text weighs 1 (its v3 configuration's ranges); all others weigh 2.
bool isLight(char32_t c) {
    return c <= 4351 || (c >= 8192 && c <= 8205) || (c >= 8208 && c <= 8223) ||
           (c >= 8242 && c <= 8247);
}

bool isEmojiBase(char32_t c) {
    return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF);
}

// What may follow an emoji inside one emoji sequence: variation selector, skin tones,
// keycap, tags (subdivision flags).
bool isEmojiModifier(char32_t c) {
    return c == 0xFE0F || (c >= 0x1F3FB && c <= 0x1F3FF) || c == 0x20E3 ||
           (c >= 0xE0020 && c <= 0xE007F);
}

bool isRegionalIndicator(char32_t c) {
    return c >= 0x1F1E6 && c <= 0x1F1FF;
}
} // namespace

int weightedLength(const QString &input) {
    // X counts the text as NFC, every link as a 23-character t.co link.
    QString text = input.normalized(QString::NormalizationForm_C);
    static const QRegularExpression links(
        QStringLiteral(R"((?:https?://|www\.)[^\s]+[^\s.,;:!?'")\]])"),
        QRegularExpression::CaseInsensitiveOption);
    int weight = 0;
    for (auto it = links.globalMatch(text); it.hasNext();) {
        it.next();
        weight += 2 * kUrlWeight; // halved below, with everything else
    }
    text.replace(links, QString());
    const QList<uint> points = text.toUcs4();
    for (qsizetype i = 0; i < points.size(); ++i) {
        const char32_t c = points.at(i);
        if (isRegionalIndicator(c)) { // a flag: two indicators, one emoji
            if (i + 1 < points.size() && isRegionalIndicator(points.at(i + 1)))
                ++i;
            weight += 2 * 2;
            continue;
        }
        if (isEmojiBase(c)) {
            // The whole sequence (modifiers, and emoji joined by ZWJ) weighs 2.
            while (i + 1 < points.size()) {
                const char32_t next = points.at(i + 1);
                if (isEmojiModifier(next))
                    ++i;
                else if (next == 0x200D && i + 2 < points.size() && isEmojiBase(points.at(i + 2)))
                    i += 2;
                else
                    break;
            }
            weight += 2 * 2;
            continue;
        }
        if (c == 0xFE0F)
            continue; // a variation selector alone adds nothing
        weight += 2 * (isLight(c) ? 1 : 2);
    }
    return weight / 2;
}

} // namespace huntaze::x
