"""Celery beat that can run twice: one sends the periodic jobs, the other stands by.

RedBeat keeps the schedule (each entry's last run) and a lock in Redis. The beat
holding the lock renews it on every tick; a second beat waits for the lock and takes
over once it lapses (BEAT_LOCK_TIMEOUT_SECONDS after the first beat last renewed it).
The jobs themselves are defined only in config/celery.py; RedBeat copies them to
Redis when a beat starts. See docs/reminders.md, "Two beats".

RedBeat alone stops for good when Redis loses its keys (a restart without
persistence, a flush) or is briefly unreachable: renewing a vanished lock raises
and ends the process, and a beat that outlives the wipe finds an empty schedule.
This scheduler instead goes back to standby on any Redis error, takes the lock
again when it is free, and writes the schedule again from code whenever it becomes
the active beat or finds the schedule gone.
"""

import logging

from redbeat.schedulers import LUA_EXTEND_TO_SCRIPT, RedBeatScheduler, get_redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class StandbyRedBeatScheduler(RedBeatScheduler):
    active = False

    def __init__(self, app, **kwargs) -> None:
        # RedBeat finds CELERY_REDBEAT_REDIS_URL but warns unless its bare name is set too.
        app.conf["redbeat_redis_url"] = app.conf.first("redbeat_redis_url")
        super().__init__(app, **kwargs)

    def _maybe_entry(self, name, entry):
        """A job Redis has no record of runs at once, then at its interval.

        Celery would first run it one interval after the schedule is written, so a daily
        job would wait a day after every Redis wipe, and never run if Redis lost its keys
        more often than that. A job Redis remembers keeps its last run (RedBeat copies it
        over this value), so restarting or switching beats runs nothing early.
        """
        entry = super()._maybe_entry(name, entry)
        entry.last_run_at = None
        return entry

    def setup_schedule(self) -> None:
        """Called as beat starts. Without Redis then, start anyway: tick writes the schedule later."""
        try:
            super().setup_schedule()
        except RedisError as error:
            logger.warning("beat: Redis not answering (%s); standing by until it does", type(error).__name__)

    def tick(self, **kwargs) -> float:
        try:
            if not self._hold_lock():
                return self.max_interval
            if not self.active or not get_redis(self.app).exists(self.app.redbeat_conf.schedule_key):
                # A beat that has just become active may have stood by through a Redis wipe.
                super().setup_schedule()
                self.active = True
                logger.info("beat: active; the schedule from config/celery.py is written to Redis")
            return super().tick(**kwargs)
        except RedisError as error:
            # Redis away or wiped: stand by, and take the lock again once Redis answers.
            if self.active:
                logger.warning("beat: lost Redis or the lock (%s); standing by", type(error).__name__)
            self.active = False
            return self.max_interval

    def _hold_lock(self) -> bool:
        """Whether this beat holds the lock, taking it if it is free (never waiting for it)."""
        if self.lock is None:
            # RedBeat takes the lock when beat starts; without Redis then, there is none yet.
            client = get_redis(self.app)
            self.lock = client.lock(self.lock_key, timeout=self.lock_timeout, sleep=self.max_interval)
            # RedBeat's own renewal sets the lock to expire lock_timeout from now, not later still.
            self.lock.lua_extend = client.register_script(LUA_EXTEND_TO_SCRIPT)
        if self.lock.owned() or self.lock.acquire(blocking=False):
            return True
        if self.active:
            logger.warning("beat: another beat holds the lock now; standing by")
            self.active = False
        return False
