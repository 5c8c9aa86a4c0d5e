#!/usr/bin/env bash
# Production without a terminal (docs/operations.md): a Prefect server on Postgres and the
# newsetl worker, each a systemd service. Run as root on the machine that holds the raw files
# and the warehouse, from a checkout in /opt/newsetl that `make install` has set up.
# Idempotent: run it again after an upgrade.
set -euo pipefail
CHECKOUT=/opt/newsetl
ENV_FILE=/etc/newsetl/newsetl.env
cd "$(dirname "$0")/.."
[ "$(pwd)" = "$CHECKOUT" ] || { echo "run this from the checkout in $CHECKOUT" >&2; exit 2; }
[ -x .venv/bin/prefect ] || { echo "run make install first" >&2; exit 2; }

# The account the services run as.
id newsetl >/dev/null 2>&1 || useradd --system --home-dir /var/lib/newsetl --create-home newsetl
install -d -o newsetl -g newsetl /var/lib/newsetl/prefect

# Postgres and the server's database (Debian's packages; the password comes from the env file).
if ! command -v psql >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq postgresql
fi
systemctl enable --now postgresql
install -d -m 0750 /etc/newsetl
if [ ! -f "$ENV_FILE" ]; then
    password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    auth="operator:$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
    sed -e "s/CHANGE-ME-TOO/${auth#operator:}/g" -e "s/CHANGE-ME/$password/" \
        deploy/newsetl.env.example > "$ENV_FILE"
    chown root:newsetl "$ENV_FILE" && chmod 0640 "$ENV_FILE"
    echo "wrote $ENV_FILE: set NEWSETL_RAW_DIR, NEWSETL_WAREHOUSE_DIR and NEWSETL_ALERT_WEBHOOK"
fi
# The raw and warehouse folders the env file names (/srv/news/{raw,warehouse} by default): made,
# owned by newsetl, when missing; an existing one is left as it is, with a warning when newsetl
# cannot read (raw) or write (warehouse) it.
for var in NEWSETL_RAW_DIR NEWSETL_WAREHOUSE_DIR; do
    dir=$(sed -n "s|^$var=||p" "$ENV_FILE")
    case "$dir" in "" | *://*) continue ;; esac  # unset, or object storage
    if [ ! -e "$dir" ]; then
        install -d -o newsetl -g newsetl "$dir" && echo "created $dir (owned by newsetl)"
    fi
    need=-w && [ "$var" = NEWSETL_RAW_DIR ] && need=-r
    sudo -u newsetl test -d "$dir" -a -x "$dir" -a "$need" "$dir" \
        || echo "warning: user newsetl cannot use $dir ($var): chown -R newsetl: $dir" >&2
done

password=$(sed -n 's|^PREFECT_API_DATABASE_CONNECTION_URL=.*://prefect:\([^@]*\)@.*|\1|p' "$ENV_FILE")
sudo -u postgres psql -v ON_ERROR_STOP=1 -q <<SQL
do \$\$ begin
    if not exists (select from pg_roles where rolname = 'prefect') then
        create role prefect login password '$password';
    end if;
end \$\$;
SQL
sudo -u postgres psql -tAc "select 1 from pg_database where datname = 'prefect'" | grep -q 1 \
    || sudo -u postgres createdb --owner prefect prefect

install -m 0644 deploy/prefect-server.service deploy/newsetl-worker.service /etc/systemd/system/
systemctl daemon-reload
systemctl enable --now prefect-server.service
systemctl enable --now newsetl-worker.service
systemctl restart newsetl-worker.service  # picks up new code and deployments after an upgrade
echo "Prefect UI: $(sed -n 's/^PREFECT_UI_URL=//p' "$ENV_FILE") (log in with PREFECT_API_AUTH_STRING)"
