"""A stand-in for RealtimeKit (org.freedesktop.RealtimeKit1) on a test bus, doing what rtkit-daemon
does for a caller it grants: check the thread is the caller's and the caller's RLIMIT_RTTIME is
within RTTimeUSecMax, then set SCHED_RR (or the nice level) on the thread. Run as root.

usage: fakeRealtimeKit.py BUS_ADDRESS MODE_FILE, the file holding one of these modes, read at each
call (one stand-in serves every test, and a name released late on the bus never races the next):
  grant        grants what it is asked within its limits
  no-realtime  publishes MaxRealtimePriority 0, grants nice levels
  refuse       answers AccessDenied, as rtkit-daemon does when polkit says no
  silent       never answers the two Make* calls
Prints "ready" once it owns its name.
"""
import os
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

NAME = 'org.freedesktop.RealtimeKit1'
address, mode_file = sys.argv[1], sys.argv[2]


def mode():
    with open(mode_file) as f:
        return f.read().strip()


def limits():
    return {
        'MaxRealtimePriority': dbus.Int32(0 if mode() == 'no-realtime' else 20),
        'MinNiceLevel': dbus.Int32(-15),
        'RTTimeUSecMax': dbus.Int64(200000),
    }


def denied():
    return dbus.exceptions.DBusException('Operation not permitted', name='org.freedesktop.DBus.Error.AccessDenied')


def rttime_hard_limit(pid):
    with open(f'/proc/{pid}/limits') as f:
        line = next(line for line in f if line.startswith('Max realtime timeout'))
    hard = line.split()[4]
    return None if hard == 'unlimited' else int(hard)


class RealtimeKit(dbus.service.Object):
    def caller_thread(self, sender, tid):
        """The thread, when it belongs to the caller's process; else AccessDenied."""
        pid = self.connection.call_blocking('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus',
                                            'GetConnectionUnixProcessID', 's', (sender,))
        if not os.path.exists(f'/proc/{pid}/task/{tid}'):
            raise denied()
        return pid

    @dbus.service.method('org.freedesktop.DBus.Properties', in_signature='ss', out_signature='v')
    def Get(self, interface, name):
        return limits()[name]

    @dbus.service.method(NAME, in_signature='tu', sender_keyword='sender', async_callbacks=('reply', 'error'))
    def MakeThreadRealtime(self, tid, priority, sender, reply, error):
        if mode() == 'silent':
            return
        try:
            pid = self.caller_thread(sender, tid)
            hard = rttime_hard_limit(pid)
            if mode() == 'refuse' or priority > limits()['MaxRealtimePriority'] or hard is None or hard > limits()['RTTimeUSecMax']:
                raise denied()
            os.sched_setscheduler(tid, os.SCHED_RR | os.SCHED_RESET_ON_FORK, os.sched_param(priority))
            reply()
        except dbus.exceptions.DBusException as e:
            error(e)

    @dbus.service.method(NAME, in_signature='ti', sender_keyword='sender', async_callbacks=('reply', 'error'))
    def MakeThreadHighPriority(self, tid, nice, sender, reply, error):
        if mode() == 'silent':
            return
        try:
            self.caller_thread(sender, tid)
            if mode() == 'refuse' or nice < limits()['MinNiceLevel']:
                raise denied()
            os.setpriority(os.PRIO_PROCESS, tid, nice)
            reply()
        except dbus.exceptions.DBusException as e:
            error(e)


DBusGMainLoop(set_as_default=True)
bus = dbus.bus.BusConnection(address)
service = RealtimeKit(dbus.service.BusName(NAME, bus), '/org/freedesktop/RealtimeKit1')
print('ready', flush=True)
GLib.MainLoop().run()
