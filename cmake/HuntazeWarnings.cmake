# Warnings for project code only (never for Qt's or Boost's headers, which are
# included as system headers). Call huntaze_target_warnings(target) on every target,
# and huntaze_target_strict_strings(target) on product code.
function(huntaze_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                         -Wnon-virtual-dtor -Wcast-align -Wunused -Woverloaded-virtual
                         -Wimplicit-fallthrough)
  if(HUNTAZE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# Every user-visible string goes through tr(); forbid implicit ASCII casts so a
# forgotten tr() or QStringLiteral shows up at compile time. Product code only: tests
# may write plain literals.
function(huntaze_target_strict_strings target)
  target_compile_definitions(${target} PRIVATE QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII
                             QT_NO_CAST_FROM_BYTEARRAY QT_NO_URL_CAST_FROM_STRING
                             QT_USE_QSTRINGBUILDER QT_NO_KEYWORDS)
endfunction()
