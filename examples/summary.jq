# summary.jq: the example filter program of sealrun-jq.service (goes to
# /etc/sealrun-example/summary.jq): revenue per customer, largest first.
[.orders[] | {customer, amount: (.quantity * .unit_price)}]
| group_by(.customer)
| map({customer: .[0].customer, total: (map(.amount) | add)})
| sort_by(-.total)
| .[]
| "\(.customer)\t\(.total)"
