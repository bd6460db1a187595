#include "multipart.h"

#include <QRegularExpression>

namespace sandbox {

namespace {

QByteArray boundaryOf(const QByteArray &contentType) {
    static const QRegularExpression pattern(QStringLiteral("boundary=(\"?)([^\";]+)\\1"),
                                            QRegularExpression::CaseInsensitiveOption);
    if (!contentType.trimmed().toLower().startsWith("multipart/form-data"))
        return {};
    const auto match = pattern.match(QString::fromLatin1(contentType));
    return match.hasMatch() ? match.captured(2).toLatin1() : QByteArray();
}

QString dispositionParameter(const QByteArray &disposition, const char *name) {
    const QRegularExpression pattern(
        QStringLiteral("(?:^|;)\\s*%1=\"([^\"]*)\"").arg(QLatin1String(name)));
    const auto match = pattern.match(QString::fromUtf8(disposition));
    return match.hasMatch() ? match.captured(1) : QString();
}

} // namespace

std::optional<QList<MultipartPart>> parseMultipart(const QByteArray &contentType,
                                                   const QByteArray &body) {
    const QByteArray boundary = boundaryOf(contentType);
    if (boundary.isEmpty() || boundary.size() > 70)
        return std::nullopt;
    const QByteArray delimiter = "--" + boundary;
    qsizetype position = body.indexOf(delimiter);
    if (position < 0)
        return std::nullopt;
    QList<MultipartPart> parts;
    while (true) {
        position += delimiter.size();
        if (body.mid(position, 2) == "--")
            return parts; // closing delimiter
        if (body.mid(position, 2) != "\r\n")
            return std::nullopt;
        position += 2;
        const qsizetype headersEnd = body.indexOf("\r\n\r\n", position);
        if (headersEnd < 0)
            return std::nullopt;
        MultipartPart part;
        const QList<QByteArray> headerLines = body.mid(position, headersEnd - position).split('\n');
        for (const QByteArray &rawLine : headerLines) {
            const QByteArray line = rawLine.trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                return std::nullopt;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-disposition") {
                part.name = dispositionParameter(value, "name");
                part.fileName = dispositionParameter(value, "filename");
            } else if (name == "content-type") {
                part.contentType = value;
            }
        }
        const qsizetype dataStart = headersEnd + 4;
        const qsizetype next = body.indexOf(QByteArray("\r\n" + delimiter), dataStart);
        if (next < 0 || part.name.isEmpty())
            return std::nullopt;
        part.data = body.mid(dataStart, next - dataStart);
        parts.append(std::move(part));
        position = next + 2;
    }
}

} // namespace sandbox
