"""Urgency: the cue lists, the trained model shipped as data, and retraining it from the written scenes."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from assistant.cli import main
from assistant.urgency import (
    Scene,
    UrgencyModel,
    cue_hits,
    features,
    is_urgent,
    read_scenes,
    scenes_sha256,
    train,
    urgency_model,
)


@pytest.mark.parametrize(
    "question, urgent",
    [
        ("my pupil is being hit at home right now", True),
        ("newborn, parents using, just found needles next to the moses basket on my visit", True),
        ("mum's pregnant and dad has a history of violence, do we wait till the baby's here", False),
        ("ex with an injunction is heading to the refuge now, kids inside", True),
        ("baby died last week, her brother is still at home with the suspected abuser, what now", True),
        ("mum is 28 weeks and dad has a violent history, do we wait till the baby arrives to start", False),
        ("a baby on my caseload died last month, what about the two older ones at home", False),
        ("a 14 year old has been missing since last night", True),
        ("there is a baby home alone", True),
        ("What do I do when a child goes missing?", False),
        ("what did case 2 teach us about injuries to babies", False),
        ("how do I identify CSE risks", False),
        ("mum is hitting her 7yo with a belt in our waiting room", True),
        ("mum is hitting her 7yo with a belt", True),
        ("last week mum was hitting her 7yo with a belt, who do I tell now", False),  # about the past
        ("should we still be charging a girl who is exploited", False),  # "still" is not "now"
        ("we lost a lot of staff this year and now caseloads are high", False),  # "high" alone is not a drug
        ("mum just texted that she is ending it all and taking the baby", True),
        ("dad says he is going round tonight to sort her out and the kids are there", True),
        ("a 15 year old we think older men are grooming - should she be charged?", False),  # a practice question
        ("working with aggressive parents - what support is lacking", False),  # a verb of state
        ("I'm chairing a conference and can't find the previous review", False),  # what the practitioner does
        ("toddler alone inside the flat, no adult around, I've been here 40 minutes", True),
        ("she says she has taken a load of paracetamol", True),
        ("pupil says she is being flown abroad tomorrow to be cut", True),
        ("what should we do when a child has absconded from care", False),
        ("is the statutory framework going to be cut back after munro?", False),
        ("a baby died from injuries and there are older siblings at home, do I keep assessing them?", False),
        ("child missing from placement since lunch, believed to be with a known abuser", True),
        ("we've lost a pupil on a school trip and it's been twenty minutes", True),
        ("we lost a child on our caseload last year, what support is there for staff?", False),
        ("a 13 year old is being used to run drugs and he's on a train at the moment", True),
        ("we found a ten year old sleeping in a stairwell, what do we do", True),
        ("what should we do when a child is being used to run drugs?", False),
        ("iro here, just found out the child on a cp plan is back living with the schedule 1 offender as of today", True),
        ("what does a schedule 1 offender living in the household mean for a cp plan?", False),
        ("a toddler on a plan has been taken by her father, who isn't allowed contact", True),
        ("what should contact arrangements say when a father is not allowed contact?", False),
        ("our 12 year old in foster care got picked up by unknown men in a taxi a few minutes ago", True),
        ("the 4 year old was in the hall after lunch and nobody at the nursery can find her anywhere now", True),
        ("sex offender moving in today with a family who have a 6 year old", True),
        ("what should a safety plan say if a sex offender moves in with a family?", False),
        ("newborn on plan, parents just took her from hospital, whereabouts unknown", True),
        ("parent drunk at nursery pickup insisting on driving toddler home", True),
        ("can't send the child home, the abuser is there now", True),
        ("a newborn discharged with mum who is hearing voices and nobody is with them", True),
        ("what should happen when a parent arrives drunk to collect a child from nursery?", False),
        ("foster carer says nine year old isnt back from school its dark now and his phones going straight to voicemail",
         True),
        ("what should a foster carer do when a child isnt back from school on time?", False),
        ("the bloke from my cse case has just found out where the young persons been moved to and hes driving over there",
         True),
        ("what should we do if an abuser found out the new address of a family last year?", False),
        ("newborn on cp plan parents just left hospital with baby without discharge", True),
        ("what should happen when parents leave hospital with a baby without discharge?", False),
        ("known sex offender at the school gates asking for a pupil", True),
        ("what should schools do about a known sex offender living in the area?", False),
        ("parents flying abroad with newborn on cp plan this evening", True),
        ("can a family with a baby on a cp plan fly abroad on holiday?", False),
        ("My foster daughter hasn't come home, it's gone 1am, and last week she was seen with a group of much older men.",
         True),
        ("what should a foster carer do if a child has not come home and its gone midnight?", False),
        ("we've just heard the family have booked the daughter on a flight first thing tomorrow morning", True),
        ("our young person's been gone since Friday, it's Sunday night now and her phone's going straight to voicemail",
         True),
        ("a child in care had been gone since friday last year, what did the review say?", False),
        ("can't find a family with a baby on a protection plan, they've packed up and left", True),
        ("what should we do when a family on a plan moves away without telling us?", False),
        ("urgent child at risk out of hours need someone now", True),
        ("who do we call out of hours when we need someone from social care to visit next week?", False),
        ("One of mine has got autism and mum wants an EHCP, how does she go about applying?", False),
        ("dad has just turned up drunk and is trying to take the baby out of the nursery right now, how do we go about stopping him",
         True),
        ("newborn discharged today to parents we had concerns about and they have disappeared from the ward address", True),
        ("a baby on a plan had disappeared from the ward address last year, what did the review learn?", False),
        ("family packing up to go before tomorrows strat meeting, baby has an unexplained fracture", True),
        ("how does my mum go about getting a special guardianship order for my niece?", False),
        ("ex with court order outside nursery trying to grab the child now", True),
        ("what should a nursery do if a parent without contact rights ever tried to grab the child?", False),
        ("family flying out tomorrow to get daughter cut, help", True),
        ("young person just got in a taxi with the men we think are grooming her, its happening now", True),
        ("in the first case the girls got in a taxi with the men who were grooming them; what did the review say?", False),
        ("can parents just pull their kid out of a section 20 arrangement whenever they like?", False),
        ("It's urgent: the family are boarding a flight this evening with a girl at risk of FGM", True),
        ("is it urgent to refer when a family plans a long trip abroad next summer?", False),
        ("15yo missing from care home overnight, thought to be with known exploiter", True),
        ("a girl who went missing from her care home overnight last year is settled now; what does the review say?",
         False),
        ("father plans to take baby abroad on flight this evening, social care involved", True),
        ("does a father need the mother's consent to take baby abroad on holiday?", False),
        ("our 14 year old has been gone for five hours and it's dark now, she's with older lads", True),
        ("when a young person has been gone for a few hours in the daytime, when should carers report it?", False),
        ("her phone just pinged at a flat in town where the men we worry about live", True),
        ("an older man with dementia, I think his son is taking his pension: is that one for adult social care?", False),
        ("grandad has dementia and has gone out with the 4 year old, it's dark now and we can't find them", True),
        ("one of my workers is locked out of her laptop after too many password attempts, how does she reset it?", False),
        ("a man is showing a 9 year old videos on his laptop in the flat next door right now, I can see them", True),
        ("baby with a burn, parents leaving hospital against advice with him", True),
        ("parents were leaving hospital against advice with a baby last year; he is settled now, what does the review say?",
         False),
        ("my phone just pinged with a reminder about next week's CSE training, is it worth going?", False),
    ],
)
def test_urgent_means_a_child_at_risk_now(question, urgent):
    assert is_urgent(question) is urgent


def test_a_negative_contraction_counts_only_in_pairs_like_other_function_words():
    # "dont" is read as "not" for search, but alone it says how a question is typed, not what happens.
    assert not {"w:dont", "w:isnt", "w:t"} & features("they dont answer the door and she isnt safe")
    assert "b:dont answer" in features("they dont answer the door")


def test_the_cue_rule_is_one_of_the_models_features():
    hits = cue_hits("mum is hitting her 7yo with a belt")
    assert hits.danger and hits.now and not hits.calm and hits.rule  # a progressive verb is "now"
    assert not cue_hits("last week mum was hitting her 7yo with a belt").rule  # "last week" is calm
    found = features("mum is hitting her 7yo with a belt")
    assert {"cue:rule", "w:hitt", "w:belt", "b:mum is", "b:is hitt"} <= found
    assert not {"w:is", "w:her", "w:with"} & found  # function words count only in pairs
    assert "cue:calm" in features("last week mum was hitting her 7yo with a belt")


def test_the_model_judges_scenes_the_cue_lists_miss():
    scenes = [s for s in read_scenes() if s.urgent]
    missed = [s.text for s in scenes if not cue_hits(s.text).rule]
    assert len(missed) > len(scenes) / 4  # scenes are told in more ways than lists can hold
    caught = sum(is_urgent(text) for text in missed)
    assert caught / len(missed) > 0.9


def test_the_shipped_model_was_trained_on_the_shipped_scenes_function_words_and_cues():
    scenes = read_scenes()
    assert len(scenes) >= 1000 and {s.urgent for s in scenes} == {True, False}
    assert len({s.source for s in scenes}) >= 4  # several writers, so one can be left out to measure
    assert urgency_model().scenes_sha256 == scenes_sha256(scenes)


def test_retraining_gives_the_shipped_weights():
    shipped = urgency_model()
    retrained = json.loads(train(read_scenes()).to_json())
    assert retrained["bias"] == pytest.approx(shipped.bias, abs=1e-5)
    assert retrained["weights"].keys() == shipped.weights.keys()
    assert all(retrained["weights"][f] == pytest.approx(w, abs=1e-5) for f, w in shipped.weights.items())


def test_a_model_scores_like_a_logistic_regression_over_unit_length_rows():
    model = UrgencyModel({"w:knife": 2.0, "b:a knife": 1.0, "w:unused": 5.0}, bias=-1.0)
    found = features("a knife")
    assert found == {"w:knife", "b:a knife"}  # "a" counts only in the pair; a danger cue alone is not the rule
    assert model.probability("a knife") == pytest.approx(1 / (1 + math.exp(-(-1.0 + 3.0 / math.sqrt(2)))))
    assert model.probability("zzz qqq") == pytest.approx(1 / (1 + math.e))  # nothing known: the bias alone


def test_a_small_model_learns_from_scenes():
    scenes = [Scene(f"he has a knife and is at the door {i}", True) for i in range(5)]
    scenes += [Scene(f"how do we write a policy on knives {i}", False) for i in range(5)]
    model = train(scenes)
    assert model.probability("he has a knife at the door") > 0.5 > model.probability("knife policy")


def test_answering_loads_no_learning_library(tmp_path):
    code = (
        "import sys\n"
        "from assistant.urgency import is_urgent\n"
        "assert is_urgent('my pupil is being hit at home right now')\n"
        "assert 'sklearn' not in sys.modules, 'scikit-learn loaded'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_train_urgency_writes_a_model_and_reports_each_writer(tmp_path, capsys):
    scenes = tmp_path / "scenes.jsonl"
    lines = [{"text": f"he has a knife and is at the door {i}", "urgent": True, "source": f"w{i % 2}"}
             for i in range(6)]
    lines += [{"text": f"how do we write a policy on knives {i}", "urgent": False, "source": f"w{i % 2}"}
              for i in range(6)]
    scenes.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    out = tmp_path / "model.json"
    assert main(["train-urgency", "--scenes", str(scenes), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "trained on 12 scenes (6 urgent)" in printed
    assert "w0: urgent recall" in printed and "w1: urgent recall" in printed
    saved = json.loads(out.read_text())
    assert saved["scenes_sha256"] == scenes_sha256(read_scenes(scenes)) and saved["weights"]


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"text": "no label"}\n', "a scene needs a text and urgent true or false"),
        ("not json\n", "cannot read scenes"),
        ('{"text": "only calm", "urgent": false}\n', "need urgent and calm examples"),
    ],
)
def test_train_urgency_errors_are_one_line(tmp_path, capsys, content, message):
    scenes = tmp_path / "scenes.jsonl"
    scenes.write_text(content)
    out = tmp_path / "model.json"
    assert main(["train-urgency", "--scenes", str(scenes), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("assistant: error:") and message in err
    assert not out.exists()


def test_a_strong_cue_needs_a_lower_probability():
    from assistant.urgency import STRONG_THRESHOLD, THRESHOLD, UrgencyModel

    between = (STRONG_THRESHOLD + THRESHOLD) / 2
    model = UrgencyModel({}, math.log(between / (1 - between)), "")  # every question scores `between`
    assert is_urgent("the baby is not breathing", model=model)  # a strong cue
    assert not is_urgent("what does the review say about babies", model=model)
