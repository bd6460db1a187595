# huntaze-relay %post: the key ring's folder, and systemd told about the unit. The
# service is not enabled: it needs a database first (/usr/share/doc/huntaze-relay/FIRST-RUN).
install -d -o huntaze-relay -g huntaze-relay -m 0700 /var/lib/huntaze-relay
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || :
    # $1 > 1: an upgrade; a running relay restarts on the new binary.
    [ "$1" -gt 1 ] && systemctl try-restart huntaze-relay.service >/dev/null 2>&1 || :
fi
exit 0
