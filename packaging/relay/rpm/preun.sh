# huntaze-relay %preun: on removal ($1 = 0), stop and disable the service first.
if [ "$1" -eq 0 ] && [ -d /run/systemd/system ]; then
    systemctl --no-reload disable --now huntaze-relay.service >/dev/null 2>&1 || :
fi
exit 0
