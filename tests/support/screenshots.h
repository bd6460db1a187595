#pragma once

#include <QString>

class QWidget;

namespace huntaze::test {

// Saves a PNG of the widget as a test artifact in HUNTAZE_TEST_ARTIFACTS (the build's
// test-artifacts folder under ctest). Returns the path, or an empty string on failure.
QString saveScreenshot(QWidget *widget, const QString &name);

} // namespace huntaze::test
