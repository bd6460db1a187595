#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace sandbox {

// multipart/form-data bodies (X media append, Reddit's S3-style upload), parsed per
// RFC 7578. Returns nullopt for anything malformed: no boundary, a part without
// headers, a missing closing delimiter.
struct MultipartPart {
    QString name;
    QString fileName;
    QByteArray contentType;
    QByteArray data;
};

std::optional<QList<MultipartPart>> parseMultipart(const QByteArray &contentType,
                                                   const QByteArray &body);

} // namespace sandbox
