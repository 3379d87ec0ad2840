"""A session as azcam-console 25.1 drives the server: the same command strings its tools send,
read with its reply rules (ERROR raises; OK alone is None; one word a string, several a list;
exposure.get_status as JSON). Python's standard library only: socket, shlex, json.

Usage: azcam_console_session.py PORT. Prints one JSON object with what the console saw.
"""
import json
import shlex
import socket
import sys
import threading
import time

SUBDICT = "azcamconsole"  # what the console's parameters tool sends as the subdict


class ServerCommunication:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.replies = self.sock.makefile("r", encoding="utf-8", newline="\n")
        self.command("register console")

    def command(self, command):
        self.sock.sendall((command + "\n").encode())
        reply = self.replies.readline().rstrip("\r\n")
        if command == "exposure.get_status":
            return json.loads(reply[3:])
        words = shlex.split(reply)
        if words[0] == "ERROR":
            raise RuntimeError(f"command error: {reply}")
        if words[0] != "OK":
            raise RuntimeError(f"invalid server response: {reply}")
        if len(words) == 1:
            return None
        return words[1] if len(words) == 2 else words[1:]


def get_datatype(value):
    """azcam.utils.get_datatype, as the console's get_par applies it."""
    if isinstance(value, str):
        if value.isdigit():
            return int(value)
        try:
            return float(value)
        except ValueError:
            return value
    return value


def main(port):
    server = ServerCommunication(port)
    seen = {}

    def get_par(name):
        return get_datatype(server.command(f"get_par {name} {SUBDICT}"))

    def set_par(name, value):
        server.command(f"set_par {name} {value} {SUBDICT}")

    set_par("imagefolder", "night1")
    set_par("imageroot", "flat.")
    set_par("imagesequencenumber", 1)
    set_par("delay", 2)  # a console-only parameter, kept in the console's subdict
    seen["imagefolder"] = get_par("imagefolder")
    seen["imagesequencenumber"] = get_par("imagesequencenumber")
    seen["delay"] = get_par("delay")

    server.command('exposure.expose 0.05 flat "dome flat"')
    server.command("exposure.set_exposuretime 0.05")
    server.command("exposure.sequence 3 -1 -1")
    seen["title"] = server.command("exposure.get_image_title")
    seen["lastfilename"] = get_par("lastfilename")
    seen["next"] = server.command("exposure.get_filename")

    seen["filters"] = server.command("instrument.get_filters 0")
    server.command("instrument.set_filter r 0")
    seen["filter"] = server.command("instrument.get_filter 0")

    server.command("set_control_temperature -100.0 0")
    seen["setpoint"] = float(server.command("get_control_temperature -1"))
    seen["temperatures"] = [float(t) for t in server.command("get_temperatures")]

    server.command("set_shutter 1 0")
    seen["shutter_open"] = server.command("controller.get_shutter")
    server.command("set_shutter 0 0")

    server.command('exposure.set_keyword OBSERVER "Ann Lee" none none')
    seen["keyword"] = server.command("exposure.get_keyword OBSERVER")
    seen["roi"] = [int(x) for x in server.command("get_roi 0")]

    # Abort a blocking expose from another connection: it returns normally, the status says aborted.
    exposer = ServerCommunication(port)
    result = {}
    thread = threading.Thread(target=lambda: result.update(reply=exposer.command('exposure.expose 30 object "long"')))
    thread.start()
    while server.command("exposure.get_status")["exposurestate"] != "EXPOSING":
        time.sleep(0.01)
    server.command("exposure.abort")
    thread.join(30)
    seen["aborted_expose"] = result
    status = server.command("exposure.get_status")
    seen["status_message"] = status["message"]
    seen["status_keys"] = list(status)

    try:
        server.command("set_par exposuretime abc")
    except RuntimeError as error:
        seen["error"] = str(error)
    print(json.dumps(seen))


if __name__ == "__main__":
    main(int(sys.argv[1]))
