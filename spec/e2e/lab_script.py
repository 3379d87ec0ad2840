"""An azcam-style lab script, as labs write them: a plain socket, the azcam client's reply rules.

Usage: lab_script.py PORT. Prints one JSON object with what the script saw.
"""
import json
import shlex
import socket
import sys
import time


class AzcamServer:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.replies = self.sock.makefile("r", encoding="utf-8", newline="\n")

    def raw(self, line):
        """The reply line itself: many lab scripts take reply[3:] rather than split it."""
        self.sock.sendall((line + "\n").encode())
        return self.replies.readline().rstrip("\r\n")

    def command(self, line):
        reply = self.raw(line)
        status, _, text = reply.partition(" ")
        if status != "OK":
            raise RuntimeError(reply)
        if not text:
            return None
        if line.split()[0] == "exposure.get_status":
            return json.loads(text)
        words = shlex.split(text)
        return words[0] if len(words) == 1 else words


server = AzcamServer(int(sys.argv[1]))
seen = {"register": server.command("register console")}
server.command("parameters.set_par imagefolder night1")
server.command("set_par imageroot flat.")
server.command("exposure.set_image_type flat")
seen["files"] = []
for i in range(3):
    server.command('exposure.expose 0.05 flat "dome flat %d"' % i)
    seen["files"].append(server.command("exposure.get_status")["filename"])

server.command('exposure.expose1 0.05 object "M31 field"')
states = []
while True:
    status = server.command("exposure.get_status")
    states.append(status["exposurestate"])
    if status["exposurestate"] == "NONE":
        break
    time.sleep(0.01)
seen["states"] = states
seen["last"] = status
seen["temperatures"] = [float(t) for t in server.command("tempcon.get_temperatures")]
seen["roi"] = [int(v) for v in server.command("exposure.get_roi")]
seen["flag"] = server.command("exposure.get_exposureflag")
seen["exptime"] = server.command("exposure.get_keyword EXPTIME")
seen["title"] = server.raw("exposure.get_image_title")[3:]
seen["filename"] = server.raw("get_par imagefilename")[3:]
seen["imagefolder"] = server.command("get_par imagefolder")
seen["sequence"] = int(server.command("get_par imagesequencenumber"))
try:
    server.command("exposure.expose abc")
except RuntimeError as error:
    seen["error"] = str(error)
print(json.dumps(seen))
