#pragma once

#include <QString>

namespace huntaze::x {

// X limits a post's text by weight, not by characters (twitter-text's v3 rules): most
// Latin and European characters weigh 1, CJK and most others 2, every link 23 (X
// shortens it to a t.co link, whatever its length), and an emoji sequence 2
// (approximated: an emoji with its modifiers, joined by zero-width joiners, or a flag).
constexpr int kMaxWeightedLength = 280;
constexpr int kUrlWeight = 23;

// The text's weight as X counts it, after NFC normalisation.
int weightedLength(const QString &text);

} // namespace huntaze::x
