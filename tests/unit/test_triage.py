"""The triage as the bot uses it: guide examples, critical sets, odd input, the model file."""

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

import triage
from bot.cli import main
from tickets.labels import Category, Urgency
from triage import Triage, classify, dataset, evaluate
from triage.model import MODEL_FILE, shipped
from triage.model import read as read_model

CASES = Path(__file__).parent / "triage_cases"
CRITICAL = dataset.read(CASES / "critical_emergencies.jsonl")
HARD_NEGATIVES = dataset.read(CASES / "hard_negatives.jsonl")
E, D, M, G = Urgency.EMERGENCY, Urgency.DIFFICULT, Urgency.MEDIUM, Urgency.GENERAL

# The examples table of the triage guide.
GUIDE_EXAMPLES = [
    ("3栋2单元电梯困人了，里面有个老人", E, Category.ELEVATOR),
    ("楼道里有很重的煤气味", E, Category.UTILITIES),
    ("5栋一楼的灯坏了好几天了", M, Category.REPAIR),
    ("楼上卫生间漏水到我家天花板", D, Category.REPAIR),
    ("隔壁天天半夜打麻将太吵了", D, Category.NEIGHBOR),
    ("请问居住证明在哪里开？", G, Category.PUBLIC_SERVICES),
    ("物业费的收支什么时候公示？", G, Category.PROPERTY_OVERSIGHT),
    ("小区门口的烧烤摊油烟太大", D, Category.PUBLIC_ORDER),
    ("8栋的独居老人两天没出门了，电话也不接", E, Category.ELDERLY_CARE),
    ("The streetlight by gate 2 has been out since Monday", M, Category.REPAIR),
    ("Is there an English-speaking contact for fee payments?", G, Category.PROPERTY_SERVICE),
    ("Sparks coming from the electric box on floor 6!", E, Category.UTILITIES),
]


def test_public_api():
    exported = {"LOW_CONFIDENCE", "Triage", "as_told", "classify", "classify_all"}
    assert set(triage.__all__) == exported
    result = classify("电梯坏了")
    assert isinstance(result, Triage)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.urgency = Urgency.GENERAL  # type: ignore[misc]


@pytest.mark.parametrize(("text", "urgency", "category"), GUIDE_EXAMPLES)
def test_guide_examples(text, urgency, category):
    result = classify(text)
    assert (result.urgency, result.category) == (urgency, category)
    assert result.route is category.default_route


def test_critical_set_is_large_enough():
    assert len(CRITICAL) >= 60 and len(HARD_NEGATIVES) >= 40
    assert all(e.urgency is E for e in CRITICAL)
    assert not any(e.urgency is E for e in HARD_NEGATIVES)


@pytest.mark.parametrize("example", CRITICAL, ids=[e.id for e in CRITICAL])
def test_every_critical_emergency_is_an_emergency(example):
    result = classify(example.text)
    assert result.urgency is E, result.rules


@pytest.mark.parametrize("example", HARD_NEGATIVES, ids=[e.id for e in HARD_NEGATIVES])
def test_no_hard_negative_is_an_emergency(example):
    result = classify(example.text)
    assert result.urgency is not E, result.rules


def test_rules_only_raise_urgency():
    # The model reads "不急"-free text; the calm word changes nothing, the danger stays.
    assert classify("不急，楼道里有煤气味").urgency is E
    assert classify("很急!!!灯泡坏了").urgency is M
    result = classify("电梯坏了，反映了三次还没人管")
    assert result.urgency is D and "repeated" in result.rules


def test_each_decision_names_its_rules_and_the_model_vote():
    result = classify("楼道里有很重的煤气味")
    assert "emergency:gas" in result.rules
    assert any(r.startswith("model:urgency=") for r in result.rules)
    assert any(r.startswith("model:category=") for r in result.rules)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("", "no_words"),
        (None, "no_words"),
        ("😀🙏👍", "no_words"),
        ("\x00\x01\x02\x1b\x7f\u200b", "no_words"),
        ("Привет, у нас сломался лифт в подъезде", "unknown_script"),
        ("مرحبا المصعد لا يعمل", "unknown_script"),
    ],
)
def test_odd_input_gets_a_valid_unsure_answer(text, rule):
    result = classify(text)
    assert rule in result.rules
    assert result.unsure and result.confidence < triage.LOW_CONFIDENCE
    assert result.urgency in Urgency and result.category in Category
    assert len(result.candidates) == 3


def test_photos_only_is_a_repair_to_ask_about():
    result = classify("")
    assert (result.urgency, result.category, result.confidence) == (M, Category.REPAIR, 0.0)


def test_the_longest_message_is_classified():
    text = "楼道的灯坏了，" * 600  # 4,200 characters, more than a Telegram message holds
    result = classify(text)
    assert result.category is Category.REPAIR and 0 <= result.confidence <= 1


def test_a_clear_request_is_confident_and_offers_alternatives():
    result = classify("楼道里有很重的煤气味")
    assert not result.unsure
    assert result.candidates[0] is result.category
    assert len(set(result.candidates)) == len(result.candidates) == 3


def test_shipped_model_was_trained_on_the_data_in_the_repository():
    files = dataset.training_files()
    assert shipped().meta["data_sha256"] == dataset.fingerprint(files), (
        "triage/data/train/ changed since the model was trained: run `python -m bot triage train`"
    )
    assert shipped().meta["data_files"] == [f.name for f in files]


def test_training_data_is_large_varied_and_separate_from_the_held_out_set():
    examples = dataset.read_all(dataset.training_files())
    held_out = dataset.read(dataset.HELD_OUT)
    everything = examples + held_out
    assert len(everything) >= 1500
    languages = {lang: sum(e.lang == lang for e in everything) / len(everything) for lang in
                 ("zh", "en", "mixed")}  # fmt: skip
    assert languages["zh"] >= 0.7 and languages["en"] >= 0.15 and languages["mixed"] > 0.02
    assert {e.category for e in examples} == set(Category)
    assert {e.urgency for e in examples} == set(Urgency)
    assert not {e.text for e in examples} & {e.text for e in held_out}
    assert not {e.text for e in examples} & {e.text for e in CRITICAL + HARD_NEGATIVES}


def test_training_reproduces_the_shipped_model(tmp_path):
    pytest.importorskip("sklearn")
    from triage.train import train

    strengths = shipped().meta["strengths"]
    again = train(out=tmp_path / "model.npz", strengths=strengths, log=lambda _: None)
    assert again.vocabulary == shipped().vocabulary
    for name, head in shipped().heads.items():
        assert again.heads[name].classes == head.classes
        np.testing.assert_allclose(again.heads[name].weights, head.weights, atol=1e-4)


def test_model_file_holds_no_pickle():
    with np.load(MODEL_FILE, allow_pickle=False) as data:
        assert all(data[name].dtype != object for name in data.files)
    assert read_model(MODEL_FILE).meta["heads"] == ["urgency", "category"]


def test_wilson_interval():
    low, high = evaluate.wilson(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = evaluate.wilson(98, 100)
    assert (round(low, 4), round(high, 4)) == (0.9300, 0.9945)
    assert evaluate.wilson(0, 0) == (0.0, 1.0)


def test_scores_by_hand():
    s = evaluate.scores(["a", "b"], ["a", "a", "b", "b"], ["a", "b", "b", "b"])
    assert s.confusion == ((1, 1), (0, 2))
    assert s.accuracy == 0.75
    assert (s.precision(0), s.recall(0)) == (1.0, 0.5)
    assert (s.precision(1), s.recall(1)) == (2 / 3, 1.0)
    assert s.macro_f1 == pytest.approx((2 / 3 + 0.8) / 2)


def test_cli_classifies_json_lines(tmp_path, capsys):
    requests = tmp_path / "in.jsonl"
    lines = [
        {"id": 1, "text": "楼道里有很重的煤气味"},
        {"id": "b", "text": ""},
        {"id": 3, "text": 42},
    ]
    body = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines)
    requests.write_text(body + "\nnot json\n")
    assert main(["triage", "--jsonl", str(requests)]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert out[0]["id"] == 1 and out[0]["urgency"] == "emergency"
    assert out[0]["category"] == "utilities" and out[0]["route"] == "property"
    assert set(out[0]) == {"id", "urgency", "category", "route", "confidence", "rules"}
    assert out[1]["id"] == "b" and "no_words" in out[1]["rules"]
    assert out[2]["id"] == 3 and out[2]["confidence"] < triage.LOW_CONFIDENCE
    assert out[3] == {"id": None, "line": 4, "error": out[3]["error"]}


def test_cli_evaluates_a_labelled_file(tmp_path, capsys):
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text("\n".join(dataset.lines(CRITICAL[:20] + HARD_NEGATIVES[:20])) + "\n")
    assert main(["triage", "eval", str(labelled), "--json"]) == 0
    out = capsys.readouterr().out
    for heading in ("urgency accuracy", "macro-F1", "emergency recall", "Wilson 95%",
                    "## category", "truth \\ predicted", "precision", "recall"):  # fmt: skip
        assert heading in out
    figures = json.loads(out.splitlines()[-1])
    assert figures["examples"] == 40 and figures["emergency_recall"] == 1.0
