"""A small province every test can rely on, and people in each role.

Following healthchecks' BaseTestCase: every view is tested for its owner (Board
staff), a member (a commune unit user) and an outsider (another commune's user).
"""

import threading
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase, TransactionTestCase, override_settings

from tests.migrated_data import restore_migrated_rows
from units.choices import Clearance, DivisionType, Level, Role, UnitKind
from units.models import Commune, Unit
from units.people import upsert_person

PASSWORD = "test-password-1"


def make_commune(code, name, division_type=DivisionType.COMMUNE):
    return Commune.objects.create(
        code=code, name=name, division_type=division_type, province_code=66
    )


def make_unit(code, name, kind, commune=None, parent=None):
    return Unit.objects.create(
        code=code,
        name=name,
        kind=kind,
        level=Level.COMMUNE if commune else Level.PROVINCE,
        commune=commune,
        parent=parent,
    )


def make_person(username, unit, role, clearance=Clearance.NORMAL, full_name=""):
    user, _membership = upsert_person(
        username=username,
        full_name=full_name or username,
        email=f"{username}@example.vn",
        unit=unit,
        role=role,
        clearance=clearance,
        password=PASSWORD,
    )
    return user


class RegistryMixin:
    """Units of the Board, two communes and a provincial agency, and their people."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_registry()

    @classmethod
    def create_registry(cls):
        cls.board = make_unit(
            "T66-BTGDV", "Ban Tuyên giáo và Dân vận Tỉnh ủy", UnitKind.BOARD
        )
        cls.police = make_unit("T66-CA", "Công an tỉnh Đắk Lắk", UnitKind.POLICE)
        cls.council = make_unit(
            "T66-HDND", "Hội đồng nhân dân tỉnh Đắk Lắk", UnitKind.PEOPLES_COUNCIL
        )
        cls.hoa_phu = make_commune("24175", "Xã Hòa Phú")
        cls.tan_an = make_commune("24163", "Phường Tân An", DivisionType.WARD)
        cls.hoa_phu_party = make_unit(
            "X24175-DU", "Đảng ủy xã Hòa Phú", UnitKind.PARTY_COMMITTEE, cls.hoa_phu
        )
        cls.hoa_phu_ubnd = make_unit(
            "X24175-UBND",
            "Ủy ban nhân dân xã Hòa Phú",
            UnitKind.PEOPLES_COMMITTEE,
            cls.hoa_phu,
        )
        cls.hoa_phu_xdd = make_unit(
            "X24175-XDD",
            "Ban Xây dựng Đảng xã Hòa Phú",
            UnitKind.PARTY_BUILDING,
            cls.hoa_phu,
            parent=cls.hoa_phu_party,
        )
        cls.hoa_phu_ctv = make_unit(
            "X24175-CTV",
            "Cộng tác viên dư luận xã hội xã Hòa Phú",
            UnitKind.COLLABORATORS,
            cls.hoa_phu,
        )
        cls.tan_an_ubnd = make_unit(
            "X24163-UBND",
            "Ủy ban nhân dân phường Tân An",
            UnitKind.PEOPLES_COMMITTEE,
            cls.tan_an,
        )
        cls.tan_an_xdd = make_unit(
            "X24163-XDD",
            "Ban Xây dựng Đảng phường Tân An",
            UnitKind.PARTY_BUILDING,
            cls.tan_an,
        )

        # healthchecks' trio: owner, member, outsider.
        cls.owner = make_person(
            "canbo.ban", cls.board, Role.BOARD_STAFF, Clearance.SECRET
        )
        cls.member = make_person("hoaphu.ubnd", cls.hoa_phu_ubnd, Role.REPORTER)
        cls.outsider = make_person("tanan.ubnd", cls.tan_an_ubnd, Role.REPORTER)
        # The other roles (units.choices.Role).
        cls.leader = make_person(
            "lanhdao.ban", cls.board, Role.BOARD_LEADER, Clearance.TOP_SECRET
        )
        cls.reviewer = make_person("hoaphu.xdd", cls.hoa_phu_xdd, Role.COMMUNE_REVIEWER)
        cls.other_reviewer = make_person(
            "tanan.xdd", cls.tan_an_xdd, Role.COMMUNE_REVIEWER
        )
        cls.collaborator = make_person("hoaphu.ctv", cls.hoa_phu_ctv, Role.COLLABORATOR)
        cls.viewer = make_person("hdnd.xem", cls.council, Role.LEADERSHIP_VIEWER)
        cls.superuser = get_user_model().objects.create_superuser(
            "quantri", "quantri@example.vn", PASSWORD
        )


class BaseTestCase(RegistryMixin, TestCase):
    def login(self, user):
        self.client.force_login(user)

    @contextmanager
    def jobs_after_commit(self):
        """Run what the block enqueues after commit, in-process, when it ends.

        A TestCase never commits, so after-commit work (routing a submission,
        mailing) would never run; this runs it as an installation without
        Redis does. Tests with a real RQ worker cover the Redis path.
        """
        with (
            override_settings(JOBS_RUN_SYNCHRONOUSLY=True),
            self.captureOnCommitCallbacks(execute=True),
        ):
            yield


class MigratedDataMixin:
    """For tests whose transactions really commit (threads, workers, a live
    server): Django flushes the database after each of them, which also drops
    what the data migrations made (home page, forms index, workflows, sectors,
    schedules). They are made again right after the flush, so tests of any kind
    and in any order find a migrated database.
    """

    def _fixture_teardown(self):
        super()._fixture_teardown()

        restore_migrated_rows()


class CommittedTestCase(MigratedDataMixin, TransactionTestCase):
    pass


def at_once(*calls):
    """Run the calls in threads released together; their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
