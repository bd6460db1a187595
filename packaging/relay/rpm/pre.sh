# huntaze-relay %pre: the system user exists before its files are unpacked (they carry
# its group).
getent group huntaze-relay >/dev/null || groupadd --system huntaze-relay
getent passwd huntaze-relay >/dev/null ||
    useradd --system --gid huntaze-relay --home-dir /var/lib/huntaze-relay --no-create-home \
        --shell /sbin/nologin --comment "Huntaze relay" huntaze-relay
exit 0
