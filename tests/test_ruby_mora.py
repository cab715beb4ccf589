"""Ruby alignment and mora counting, against cases written out by hand."""

import pytest

from builder.text.mora import morae, off_rhythm, phrase_morae
from builder.text.ruby import RubyError, _pieces, _spelled, align_ruby, is_kana, is_kanji, to_hiragana


@pytest.mark.parametrize("text, reading, expected", [
    ("共連れ", "ともづれ", [("共連", "ともづ"), ("れ", None)]),
    ("共連れで", "ともづれで", [("共連", "ともづ"), ("れで", None)]),
    ("身に覚えの", "みにおぼえの", [("身", "み"), ("に", None), ("覚", "おぼ"), ("えの", None)]),
    ("取引先", "とりひきさき", [("取引先", "とりひきさき")]),
    ("後回し やめて", "あとまわし やめて", [("後回", "あとまわ"), ("し やめて", None)]),
    # katakana in the text anchors against hiragana in the reading
    ("添付ファイル", "てんぷふぁいる", [("添付", "てんぷ"), ("ファイル", None)]),
    ("サポート切れ", "さぽーときれ", [("サポート", None), ("切", "き"), ("れ", None)]),
    # Latin takes its part of the reading but gets no ruby; letters are read by name
    ("拾ったUSB", "ひろったゆーえすびー", [("拾", "ひろ"), ("ったUSB", None)]),
    ("社外PC", "しゃがいぴーしー", [("社外", "しゃがい"), ("PC", None)]),
    # punctuation is not read
    ("えっ、感染？", "えっかんせん", [("えっ、", None), ("感染", "かんせん"), ("？", None)]),
    # 々 belongs to its kanji run
    ("別々に", "べつべつに", [("別々", "べつべつ"), ("に", None)]),
    ("ひらがなだけ", "ひらがなだけ", [("ひらがなだけ", None)]),
])
def test_align(text, reading, expected):
    assert align_ruby(text, reading) == expected
    assert "".join(base for base, _ in align_ruby(text, reading)) == text


@pytest.mark.parametrize("text, reading, words", [
    ("共連れ", "ともづら", "ともづら"),  # the text's れ is not in the reading
    ("取引先", "", "取引先"),
    ("後回し やめて", "あとまわしやめて", "phrases"),  # a missing space
    ("無料Wi-Fi", "むりょうわいふぁい", "more than one way"),  # two unknown runs side by side
])
def test_misfit_is_named(text, reading, words):
    with pytest.raises(RubyError, match=words):
        align_ruby(text, reading)


@pytest.mark.parametrize("kana, count", [
    ("あとまわし", 5),
    ("きゃく", 2),          # きゃ is one mora
    ("しゅっちょう", 4),    # しゅ・っ・ちょ・う
    ("こんにちは", 5),      # ん counts
    ("ぱーてぃー", 4),      # ー counts, ぃ joins: ぱ・ー・てぃ・ー
    ("わいふぁい", 4),      # ふぁ is one mora
    ("ゆーえすびー", 6),
    ("", 0),
])
def test_morae(kana, count):
    assert morae(kana) == count


def test_phrase_morae():
    assert phrase_morae("ふるいけや かわずとびこむ みずのおと") == [5, 7, 5]
    assert phrase_morae("  しゅっぱつ  しんこう ") == [4, 4]


def test_a_reading_that_fits_nowhere_is_settled():
    """Twelve kanji runs between the same kana: trying every combination would not finish
    (seven runs took a second); each (run, position) tried once settles it."""
    with pytest.raises(RubyError, match="does not fit"):
        align_ruby("字の" * 12, "の" * 40 + "か")


# ---------------------------------------------------------------- character classes, by the Unicode blocks
@pytest.mark.parametrize("code, kanji", [
    (0x4E00, True), (0x9FFF, True), (0x4DFF, False), (0xA000, False),  # CJK Unified Ideographs
    (0x3400, True), (0x4DBF, True), (0x33FF, False), (0x4DC0, False),  # Extension A (4DC0: hexagrams)
    (0xF900, True), (0xFAFF, True), (0xF8FF, False), (0xFB00, False),  # Compatibility Ideographs
    (0x20000, True), (0x2FFFF, True), (0x1FFFF, False), (0x30000, False),  # the Supplementary Ideographic Plane
    (ord("々"), True), (ord("〆"), True), (ord("〇"), True), (ord("ヶ"), True),
    (ord("あ"), False), (ord("ア"), False), (ord("X"), False), (ord("ゝ"), False),
])
def test_is_kanji(code, kanji):
    assert is_kanji(chr(code)) is kanji


@pytest.mark.parametrize("char, kana", [
    ("ぁ", True), ("ゖ", True), ("ゔ", True), ("ァ", True), ("ヺ", True), ("ヴ", True), ("ー", True), ("ん", True),
    ("\u3040", False), ("\u3097", False), ("゛", False), ("ゝ", False), ("゠", False), ("・", False), ("ヽ", False),
    ("漢", False), ("A", False), (" ", False),
])
def test_is_kana(char, kana):
    assert is_kana(char) is kana


def test_to_hiragana():
    assert to_hiragana("ァアヴヵヶヷーabc漢、") == "ぁあゔゕヶヷーabc漢、"


@pytest.mark.parametrize("kana, count", [
    ("ヺ", 1), ("ゔぁ", 1), ("ヴァ", 1), ("・", 0), ("゛", 0), ("ゝ", 0), ("漢", 0), ("ヶ", 0), ("ぁ", 0),
])
def test_morae_at_the_edges_of_the_kana_blocks(kana, count):
    assert morae(kana) == count


# ---------------------------------------------------------------- verse rhythm, in the user's words
def test_off_rhythm():
    assert off_rhythm("ふるいけや かわずとびこむ みずのおと") == []
    assert off_rhythm("ふるいけやや かわずとびこむ みずのおとと") == []  # 6-7-6: within one mora a phrase
    assert off_rhythm("ふるいけやや かわずとびこむ みずのおと", slack=0) == \
        ["phrase 1 「ふるいけやや」 has 6 morae; the verse wants 5"]
    assert off_rhythm("ふるいけややや かわずとびこむ みずのおとととと") == [
        "phrase 1 「ふるいけややや」 has 7 morae; the verse wants 5",
        "phrase 3 「みずのおとととと」 has 8 morae; the verse wants 5"]
    assert off_rhythm("ふるいけや かわずとびこみずのおと") == \
        ["it has 2 phrases; a verse has 3 (5-7-5), separated by spaces"]
    assert off_rhythm("ふるいけや かわず とびこむ みずのおと") == \
        ["it has 4 phrases; a verse has 3 (5-7-5), separated by spaces"]


# ---------------------------------------------------------------- the alignment's parts, by hand
def test_text_is_cut_into_runs():
    assert _pieces("えっ、？感染 USBとWi-Fi  漢字PC") == [
        ("kana", "えっ"), ("mark", "、？"), ("kanji", "感染"), ("space", " "), ("latin", "USB"), ("kana", "と"),
        ("latin", "Wi-Fi"), ("space", "  "), ("kanji", "漢字"), ("latin", "PC")]
    assert _pieces("「字」") == [("mark", "「"), ("kanji", "字"), ("mark", "」")]
    assert _pieces("あ字」、") == [("kana", "あ"), ("kanji", "字"), ("mark", "」、")]  # marks joined at the end
    assert _pieces("あ1,000人") == [("kana", "あ"), ("latin", "1"), ("mark", ","), ("latin", "000"), ("kanji", "人")]


def test_letters_are_spelled_only_in_capitals():
    assert _spelled("USB") == "ゆーえすびー"
    assert _spelled("WXYZ") == "だぶりゅーえっくすわいぜっと"
    assert _spelled("Wi-Fi") is None and _spelled("usb") is None and _spelled("PC2") is None


def test_a_kanji_run_takes_at_least_one_kana_each_and_none_to_start_small():
    with pytest.raises(RubyError):
        align_ruby("取引先", "とりひ"[:2])
    assert align_ruby("取引先", "とりひ") == [("取引先", "とりひ")]
    for small in "ぁぃぅぇぉゃゅょゎっんー":
        with pytest.raises(RubyError):
            align_ruby("字", small + "じ")
    assert align_ruby("字", "じっ") == [("字", "じっ")]


def test_a_kanji_run_does_not_reach_over_a_space():
    with pytest.raises(RubyError, match="has 2 phrases but the text 「字字」 has 1"):
        align_ruby("字字", "じ じ")


def test_reading_spaces_are_normalised():
    assert align_ruby("後回し やめて", "  あとまわし   やめて ") == [("後回", "あとまわ"), ("し やめて", None)]


def test_latin_read_as_a_word_when_not_spelled():
    assert align_ruby("Wi-Fiの字", "わいふぁいのじ") == [("Wi-Fiの", None), ("字", "じ")]
    assert align_ruby("USBの字", "ゆーえすびーのじ") == [("USBの", None), ("字", "じ")]
    # spelling is preferred where it fits, a word reading only where it does not
    assert align_ruby("PC字", "ぴーしーじ") == [("PC", None), ("字", "じ")]
    assert align_ruby("PC", "ぱそこん") == [("PC", None)]


def test_the_ambiguous_split_is_named():
    with pytest.raises(RubyError) as err:
        align_ruby("無料Wi-Fi", "むりょうわいふぁい")
    assert str(err.value) == (
        "the reading 「むりょうわいふぁい」 can be split over 「無料」 in more than one way (「むりょ」 or 「むりょう」); "
        "put kana between it and its neighbour in the text, or write the word differently")


@pytest.mark.parametrize("text, reading, message", [
    ("取引先 字", "とりひきさき", "the reading 「とりひきさき」 has 1 phrases but the text 「取引先 字」 has 2; "
                             "separate the reading's phrases with spaces as the text does"),
    ("共連れ", "ともづら", "the reading 「ともづら」 does not fit 「共連れ」; it must contain the text's kana 「れ」 in "
                       "that order"),
    ("身に覚えの 字", "みにおぼえない じ", "the reading 「みにおぼえない」 does not fit 「身に覚えの」; it must contain "
                                  "the text's kana 「に・えの」 in that order"),
    ("字 取引先", "じ とり", "the reading 「とり」 does not fit 「取引先」"),
    (" 共連れ", "ともづれ", "the reading 「ともづれ」 does not fit the text 「 共連れ」"),
])
def test_misfit_messages(text, reading, message):
    with pytest.raises(RubyError) as err:
        align_ruby(text, reading)
    assert str(err.value) == message
