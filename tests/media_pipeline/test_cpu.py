"""media_pipeline/cpu.py: the idle cores the pipeline reads to choose whether the web derivatives are
made beside dzsave (issue 18), from the kernel's real counters and from /proc/stat-shaped files."""

import pytest

from media_pipeline import cpu

LINE = "cpu  {user} 0 {system} {idle} {iowait} 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n"


def test_this_machines_counters_parse_and_give_a_share_of_its_cores():
    with open("/proc/stat", encoding="ascii") as fh:
        before = cpu.parse_stat(fh.read())
    sum(range(200_000))  # a little work between the readings
    with open("/proc/stat", encoding="ascii") as fh:
        now = cpu.parse_stat(fh.read())
    assert now[0] >= before[0] > 0 and now[1] >= before[1] > 0
    assert 0 <= cpu.idle_cores(now, before, 2) <= 2


def test_idle_cores_counts_idle_and_iowait_over_the_interval():
    before = cpu.parse_stat(LINE.format(user=100, system=100, idle=100, iowait=0))
    # 200 more jiffies: 100 busy, 80 idle, 20 waiting on the disk -> half the time idle
    now = cpu.parse_stat(LINE.format(user=180, system=120, idle=180, iowait=20))
    assert cpu.idle_cores(now, before, 2) == pytest.approx(1.0)
    assert cpu.idle_cores(now, now, 2) == 0.0  # no time passed: nothing to spare
    with pytest.raises(ValueError):
        cpu.parse_stat("intr 1 2 3\n")


def test_spare_core_compares_with_the_previous_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(cpu, "_last", None)
    stat = tmp_path / "stat"
    stat.write_text(LINE.format(user=0, system=0, idle=0, iowait=0))
    cpu.spare_core(str(stat), cores=2)  # the first reading (judged from the load average)
    stat.write_text(LINE.format(user=100, system=20, idle=80, iowait=0))  # 0.8 of two cores idle
    assert cpu.spare_core(str(stat), cores=2) is True
    stat.write_text(LINE.format(user=280, system=20, idle=100, iowait=0))  # 0.2 cores idle
    assert cpu.spare_core(str(stat), cores=2) is False
    assert cpu.spare_core(str(tmp_path / "missing"), cores=2) is False  # no counters (not Linux): the cheaper order
