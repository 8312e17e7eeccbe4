"""The comparable form of a narrative, its shingles, and the shared passages of a pair."""

from __future__ import annotations

from portal.similarity import fingerprint as fp

A = "张三在外滩营业部坚持以客户为中心开展微笑服务。全年受理业务12000笔。"
B = "李四在静安营业部坚持以客户为中心开展微笑服务。全年受理业务9800笔。"


def test_normalize_keeps_ideographs_and_turns_each_number_into_one_token():
    assert fp.normalize("满意率达99.2%，ABC 投诉 3 件；") == "满意率达0投诉0件"
    assert fp.normalize("满意率达９８．５%") == "满意率达0"


def test_offsets_point_back_into_the_original_text():
    text = "满意率 99.2%，好"
    normalized, starts, ends = fp.normalize_with_offsets(text)
    assert normalized == fp.normalize(text) == "满意率0好"
    pieces = [text[s:e] for s, e in zip(starts, ends, strict=True)]
    assert pieces == ["满", "意", "率", "99.2", "好"]


def test_fast_and_offset_normalizations_agree_on_generated_text():
    from tests.similarity.helpers import original_and_copy

    for text in original_and_copy():
        assert fp.normalize_with_offsets(text)[0] == fp.normalize(text)


def test_containment_of_the_hand_made_pair():
    # Both normalize to 30 characters (23 shingles of 8); the 18 shingles from 营业部 on agree.
    a, b = fp.shingle_set(fp.normalize(A)), fp.shingle_set(fp.normalize(B))
    assert (len(a), len(b)) == (23, 23)
    share, shared = fp.containment(a, b)
    assert shared == 18
    assert round(share, 3) == round(18 / 23, 3) == 0.783


def test_shared_passages_of_the_hand_made_pair_span_the_original_figures():
    b_set = fp.shingle_set(fp.normalize(B))
    a_set = fp.shingle_set(fp.normalize(A))
    [(start, end)] = fp.shared_spans(A, b_set)
    assert A[start:end] == "营业部坚持以客户为中心开展微笑服务。全年受理业务12000笔"
    [(start, end)] = fp.shared_spans(B, a_set)
    assert B[start:end] == "营业部坚持以客户为中心开展微笑服务。全年受理业务9800笔"


def test_segments_cut_the_whole_text_into_shared_and_unshared_pieces():
    spans = fp.shared_spans(A, fp.shingle_set(fp.normalize(B)))
    assert fp.segments(A, spans) == [
        fp.Segment("张三在外滩", False),
        fp.Segment("营业部坚持以客户为中心开展微笑服务。全年受理业务12000笔", True),
        fp.Segment("。", False),
    ]


def test_moved_paragraphs_are_still_shared_passages():
    first, second = "坚持以客户为中心开展微笑服务", "全年组织岗位练兵和技能比武活动"
    spans = fp.shared_spans(second + first, fp.shingle_set(fp.normalize(first + second)))
    assert spans == [(0, len(second + first))]


def test_a_text_with_too_little_varied_text_gets_no_band_keys():
    assert fp.band_keys(fp.sketch(fp.sampled_values(fp.normalize("服" * 3000)))) == []


def test_sampled_values_and_band_keys_are_the_same_in_every_process():
    import subprocess
    import sys

    from tests.similarity.helpers import independent

    code = (
        "from portal.similarity import fingerprint as fp;"
        f"print(fp.band_keys(fp.sketch(fp.sampled_values(fp.normalize({independent(3)!r})))))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1
    assert runs.pop().startswith("[(0, ")


def test_hashes_are_pinned_so_stored_fingerprints_outlive_a_python_upgrade():
    """BLAKE2b, not hash(): a new Python must not change the values stored in the database."""
    assert fp.stable_hash("以客户为中心开展".encode()) == 6395656450703378083
    sampled = fp.sampled_values(fp.normalize("服务窗口以客户为中心开展微笑服务"))
    assert sampled == {1623977568586228477}
    keys = fp.band_keys([1, 2, 3] * fp.BANDS)
    assert keys[:2] == [(0, 7449829588593853332), (1, 4864522736578589703)]
