"""The search benchmark's own pieces: the synthetic base and the plain baseline."""

from __future__ import annotations

from bench.search import PlainBm25, Query, hit_rates, synthetic_docs
from knowledge.search import SearchDoc

REAL = [
    SearchDoc(
        "1.000001", "Đăng ký thường trú", ("Cấp xã",), "Đăng ký, quản lý cư trú", documents=("Tờ khai",)
    ),
    SearchDoc("1.000002", "Cấp giấy phép lái xe", ("Cấp tỉnh",), "Đường bộ", documents=("Đơn đề nghị",)),
    SearchDoc(
        "1.000003", "Đăng ký khai sinh cho trẻ em", ("Cấp xã",), "Hộ tịch", documents=("Giấy chứng sinh",)
    ),
]


def test_the_synthetic_base_is_reproducible_and_keeps_the_real_procedures() -> None:
    first, second = synthetic_docs(REAL, 50, seed=7), synthetic_docs(REAL, 50, seed=7)
    assert first == second
    assert first[: len(REAL)] == REAL
    assert len({doc.code for doc in first}) == len({doc.name for doc in first}) == 50
    real_words = {word for doc in REAL for word in doc.name.split()}
    assert all(set(doc.name.split()) <= real_words for doc in first)


def test_the_plain_baseline_does_not_fold_diacritics() -> None:
    plain = PlainBm25(REAL)
    assert plain.rank("đăng ký thường trú")[0] == "1.000001"
    assert plain.rank("dang ky thuong tru") == []


def test_hit_rates_split_queries_by_diacritics() -> None:
    plain = PlainBm25(REAL)
    queries = [
        Query("đăng ký thường trú", frozenset({"1.000001"})),
        Query("giấy phép lái xe", frozenset({"1.000002"})),
        Query("dang ky thuong tru", frozenset({"1.000001"})),
    ]
    rates = hit_rates(plain.rank, queries)
    assert rates["hit1_with_diacritics"] == 1.0
    assert rates["hit1_without_diacritics"] == 0.0
    assert rates["hit1_all"] == round(2 / 3, 3)
