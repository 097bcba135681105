"""Storage-format pages as Confluence writes them (our own words, in the shapes teams use)."""

from __future__ import annotations

DANA = "5b10ac8d82e05b22cc7d4ef5"  # the sandbox's "Dana Ops"
TANAKA = "5b10ac8d82e05b22cc7d4ef7"  # the sandbox's "田中 花子"


def mention(account_id: str) -> str:
    return f'<ac:link><ri:user ri:account-id="{account_id}" /></ac:link>'


def jira(key: str) -> str:
    return ('<ac:structured-macro ac:name="jira" ac:schema-version="1" ac:macro-id="m-1">'
            '<ac:parameter ac:name="server">System JIRA</ac:parameter>'
            '<ac:parameter ac:name="serverId">a1b2c3d4-0000-1111-2222-333344445555</ac:parameter>'
            f'<ac:parameter ac:name="key">{key}</ac:parameter></ac:structured-macro>')


def status(title: str) -> str:
    return ('<ac:structured-macro ac:name="status" ac:schema-version="1">'
            f'<ac:parameter ac:name="title">{title}</ac:parameter>'
            '<ac:parameter ac:name="colour">Green</ac:parameter></ac:structured-macro>')


def task(body: str, *, done: bool = False, number: int = 1) -> str:
    state = "complete" if done else "incomplete"
    return (f"<ac:task><ac:task-id>{number}</ac:task-id><ac:task-status>{state}</ac:task-status>"
            f"<ac:task-body>{body}</ac:task-body></ac:task>")


JAPANESE = (
    '<ac:structured-macro ac:name="details" ac:schema-version="1"><ac:rich-text-body>'
    "<table><tbody><tr><th><p>発生日</p></th><td><p><time datetime=\"2024-06-03\" /></p></td></tr>"
    "<tr><th><p>影響</p></th><td><p>決済APIの応答遅延</p></td></tr></tbody></table>"
    "</ac:rich-text-body></ac:structured-macro>"
    "<h2>概要</h2><p>決済APIの応答が&nbsp;40&nbsp;分間遅延した。</p>"
    "<h2>再発防止策</h2>"
    "<table><colgroup><col /><col /><col /><col /><col /></colgroup><tbody>"
    "<tr><th><p>対応内容</p></th><th><p>担当者</p></th><th><p>期限</p></th><th><p>状況</p></th>"
    "<th><p>チケット</p></th></tr>"
    f"<tr><td><p>接続プールの枯渇を検知するアラートを追加する</p></td><td><p>{mention(TANAKA)}</p></td>"
    f"<td><p><time datetime=\"2024-07-31\" /></p></td><td><p>{status('未着手')}</p></td><td><p /></td></tr>"
    "<tr><td><p>タイムアウト値を設定ファイルに明記する</p></td><td><p>佐藤</p></td>"
    f"<td><p>2024-07-15</p></td><td><p>{status('完了')}</p></td><td><p>{jira('OPS-3')}</p></td></tr>"
    "</tbody></table>"
    "<h2>アクションアイテム</h2><ac:task-list>"
    + task(f"負荷試験に接続数の上限シナリオを追加する 担当: {mention(TANAKA)} 期限: <time datetime=\"2024-08-30\" />")
    + task("障害対応の手順書を更新する 担当: 佐藤 期限: 2024-06-30", done=True, number=2)
    + "</ac:task-list>"
)

ENGLISH = (
    "<p><strong>Date:</strong> 2024-05-14</p>"
    "<h1>Summary</h1><p>Checkout requests failed for 25 minutes after a config push.</p>"
    "<h1>Action items</h1>"
    "<table><tbody>"
    "<tr><th>Action</th><th>Owner</th><th>Due</th><th>Ticket</th></tr>"
    f"<tr><td>Add a canary stage to config pushes</td><td>{mention(DANA)}</td>"
    "<td><time datetime=\"2024-06-30\" /></td><td>TBD</td></tr>"
    "<tr><td>Validate config schema in CI</td><td>lee</td><td>2024-06-15</td><td></td></tr>"
    "</tbody></table>"
    "<h2>Follow-ups</h2><ac:task-list>"
    + task(f"Alert on checkout error rate above 2% &mdash; owner: {mention(DANA)}, due: <time datetime=\"2024-06-20\" />")
    + task("Be more careful with config pushes", number=2)
    + "</ac:task-list>"
    "<ac:structured-macro ac:name=\"code\"><ac:plain-text-body><![CDATA[- [ ] not an action, code]]>"
    "</ac:plain-text-body></ac:structured-macro>"
)
