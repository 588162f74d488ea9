# bench/webhook-accounts.sh - sourced by bench/webhooks.sh and bench/webhooks-pair.sh (not run on its own).
# seed_accounts URL FILE COUNT [subscribe]: creates COUNT accounts through the API (with $auth); with "subscribe", each gets
# one enabled webhook subscribed to "*" that posts to the local receiver on $receiver_port. FILE gets one account id a line.
seed_accounts() {
  local i id
  : > "$2"
  for i in $(seq 1 "$3"); do
    id=$(curl -sf -X POST "$1/v1/accounts" -H "$auth" -H 'Content-Type: application/json' -d "{
      \"legalName\": \"Bench $i Ltd\", \"address\": {\"addressLine1\": \"$i Main St\", \"city\": \"Seattle\", \"state\": \"WA\", \"postalCode\": \"98101\", \"country\": \"US\"},
      \"primaryContact\": {\"firstName\": \"Pat\", \"lastName\": \"Lee\", \"email\": \"pat$i@bench.example\"}}" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    [ -n "$id" ] || { echo "$(basename "$0"): seeding failed" >&2; exit 1; }
    if [ "${4:-}" = subscribe ]; then
      curl -sf -o /dev/null -X POST "$1/v1/accounts/$id/webhooks" -H "$auth" -H 'Content-Type: application/json' \
        -d "{\"url\": \"http://127.0.0.1:$receiver_port/hook/$i\", \"events\": [\"*\"], \"enabled\": true}" ||
        { echo "$(basename "$0"): could not subscribe" >&2; exit 1; }
    fi
    echo "$id" >> "$2"
  done
}
