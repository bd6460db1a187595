# huntaze-relay %postun: systemd forgets the unit. The system user stays, as Fedora's
# packaging guidelines ask (files it owned may remain).
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || :
fi
exit 0
