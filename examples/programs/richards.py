# richards (pyperformance's bm_richards, reduced): an operating-system task scheduler with an
# idle task, a worker, two handlers and two devices exchanging packets through linked queues.
# Classes with single inheritance, overridden methods, Base.method(self, ...) calls, None.
# argv: [iterations] [timing]
import sys
import time

I_IDLE = 0
I_WORK = 1
I_HANDLERA = 2
I_HANDLERB = 3
I_DEVA = 4
I_DEVB = 5
K_DEV = 1000
K_WORK = 1001
BUFSIZE = 4

layout = 0


class Packet:
    def __init__(self, link, ident, kind):
        self.link = link
        self.ident = ident
        self.kind = kind
        self.datum = 0
        self.data = [0, 0, 0, 0]

    def append_to(self, lst):
        self.link = None
        if lst is None:
            return self
        p = lst
        nxt = p.link
        while nxt is not None:
            p = nxt
            nxt = p.link
        p.link = self
        return lst


class Task:
    def __init__(self, ident, priority, inp, scheduler):
        self.ident = ident
        self.priority = priority
        self.inp = inp
        self.scheduler = scheduler
        self.waiting = inp is not None
        self.held = False
        self.count = 0

    def is_ready(self):
        return not self.held and (self.inp is not None or not self.waiting)

    def take_packet(self):
        pkt = self.inp
        if pkt is not None:
            self.inp = pkt.link
        self.waiting = self.inp is not None
        return pkt

    def run(self, pkt):
        raise NotImplementedError("Task.run")


class IdleTask(Task):
    def __init__(self, ident, priority, scheduler, seed, count):
        Task.__init__(self, ident, priority, None, scheduler)
        self.seed = seed
        self.count = count

    def run(self, pkt):
        self.count -= 1
        if self.count == 0:
            return self.scheduler.hold_self()
        if self.seed % 2 == 0:
            self.seed = self.seed // 2
            return self.scheduler.release(I_DEVA)
        self.seed = self.seed // 2 + 53256
        return self.scheduler.release(I_DEVB)


class WorkTask(Task):
    def __init__(self, ident, priority, inp, scheduler):
        Task.__init__(self, ident, priority, inp, scheduler)
        self.destination = I_HANDLERA
        self.letter = 0

    def run(self, pkt):
        if pkt is None:
            return self.scheduler.wait()
        if self.destination == I_HANDLERA:
            self.destination = I_HANDLERB
        else:
            self.destination = I_HANDLERA
        pkt.ident = self.destination
        pkt.datum = 0
        for i in range(BUFSIZE):
            self.letter += 1
            if self.letter > 26:
                self.letter = 1
            pkt.data[i] = self.letter
        return self.scheduler.queue(pkt)


class HandlerTask(Task):
    def __init__(self, ident, priority, inp, scheduler):
        Task.__init__(self, ident, priority, inp, scheduler)
        self.work_in = None
        self.device_in = None

    def run(self, pkt):
        if pkt is not None:
            if pkt.kind == K_WORK:
                self.work_in = pkt.append_to(self.work_in)
            else:
                self.device_in = pkt.append_to(self.device_in)
        work = self.work_in
        if work is not None:
            count = work.datum
            if count < BUFSIZE:
                dev = self.device_in
                if dev is not None:
                    self.device_in = dev.link
                    dev.datum = work.data[count]
                    work.datum = count + 1
                    return self.scheduler.queue(dev)
            else:
                self.work_in = work.link
                return self.scheduler.queue(work)
        return self.scheduler.wait()


class DeviceTask(Task):
    def __init__(self, ident, priority, inp, scheduler):
        Task.__init__(self, ident, priority, inp, scheduler)
        self.pending = None

    def run(self, pkt):
        if pkt is None:
            if self.pending is None:
                return self.scheduler.wait()
            v = self.pending
            self.pending = None
            return self.scheduler.queue(v)
        self.pending = pkt
        return self.scheduler.hold_self()


class Scheduler:
    def __init__(self):
        self.tasks = [None, None, None, None, None, None]
        self.current = None
        self.queue_count = 0
        self.hold_count = 0

    def add(self, task):
        self.tasks[task.ident] = task

    def find(self, ident):
        return self.tasks[ident]

    def hold_self(self):
        self.hold_count += 1
        self.current.held = True
        return None

    def wait(self):
        self.current.waiting = True
        return None

    def release(self, ident):
        t = self.find(ident)
        t.held = False
        return None

    def queue(self, pkt):
        t = self.find(pkt.ident)
        self.queue_count += 1
        pkt.link = None
        pkt.ident = self.current.ident
        t.inp = pkt.append_to(t.inp)
        t.waiting = False
        return None

    def schedule(self):
        steps = 0
        progress = True
        while progress:
            progress = False
            best = None
            for t in self.tasks:
                if t is not None and t.is_ready():
                    if best is None or t.priority > best.priority:
                        best = t
            if best is not None:
                progress = True
                steps += 1
                self.current = best
                pkt = None
                if best.inp is not None:
                    pkt = best.take_packet()
                best.run(pkt)
        return steps


def run_once(count):
    s = Scheduler()
    s.add(IdleTask(I_IDLE, 1, s, 1, count))
    wkq = Packet(None, 0, K_WORK)
    wkq = Packet(wkq, 0, K_WORK)
    s.add(WorkTask(I_WORK, 1000, wkq, s))
    wkq = Packet(None, I_DEVA, K_DEV)
    wkq = Packet(wkq, I_DEVA, K_DEV)
    wkq = Packet(wkq, I_DEVA, K_DEV)
    s.add(HandlerTask(I_HANDLERA, 2000, wkq, s))
    wkq = Packet(None, I_DEVB, K_DEV)
    wkq = Packet(wkq, I_DEVB, K_DEV)
    wkq = Packet(wkq, I_DEVB, K_DEV)
    s.add(HandlerTask(I_HANDLERB, 3000, wkq, s))
    s.add(DeviceTask(I_DEVA, 4000, None, s))
    s.add(DeviceTask(I_DEVB, 5000, None, s))
    steps = s.schedule()
    return (steps, s.queue_count, s.hold_count)


n = 3
if len(sys.argv) > 1:
    n = int(sys.argv[1])
t0 = time.perf_counter()
for k in range(n):
    result = run_once(200 + k)
elapsed = time.perf_counter() - t0
print(result)
try:
    Task(9, 0, None, None).run(None)
except NotImplementedError as e:
    print("abstract:", e)
if len(sys.argv) > 2:
    print("elapsed", elapsed)
