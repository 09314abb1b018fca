"""Executes one cell on a running Jupyter server through its REST and websocket API, as JupyterLab does.

usage: jupyter_execute.py BASE_URL TOKEN KERNEL_NAME CODE
Prints the cell's text output (stream and execute_result text/plain); exits 1 on an error reply.
Uses only packages JupyterLab itself depends on (requests, websocket-client).
"""
import json
import sys
import uuid

import requests
import websocket


def main() -> int:
    base, token, kernel_name, code = sys.argv[1:5]
    headers = {"Authorization": f"token {token}"}
    kernel = requests.post(f"{base}/api/kernels", json={"name": kernel_name}, headers=headers, timeout=60).json()
    ws_url = base.replace("http", "ws", 1) + f"/api/kernels/{kernel['id']}/channels?token={token}"
    ws = websocket.create_connection(ws_url, timeout=120)
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex, "msg_type": "execute_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {}, "allow_stdin": False},
    }))
    out, status = [], None
    while status is None:
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            out.append(content["text"])
        elif kind == "execute_result":
            out.append(content["data"].get("text/plain", ""))
        elif kind == "error":
            out.append(f"{content['ename']}: {content['evalue']}")
        elif kind == "execute_reply":
            status = content["status"]
    ws.close()
    requests.delete(f"{base}/api/kernels/{kernel['id']}", headers=headers, timeout=60)
    print("".join(out))
    return 0 if status == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
