"""Answer quality on our own question set stays above the thresholds set from measurement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation import EvalError, evaluate, rank_of, read_questions

EVAL = Path(__file__).parent / "eval"
QUESTIONS = EVAL / "questions.jsonl"

# Each set's floors, a little under what was last measured (benchmarks/quality.py prints the figures;
# tests/eval/README.md says how each set was written): a drop below one of these is a regression.
FLOORS = {
    "questions.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "mrr": 0.95, "off_topic_rejected": 0.93, "urgent_recall": 1.0},
    "holdout.jsonl": {"hit@1": 0.88, "hit@3": 0.95, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_a.jsonl": {"hit@1": 0.90, "hit@3": 0.94, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_b.jsonl": {"hit@1": 0.88, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_c.jsonl": {"hit@1": 0.78, "hit@3": 0.90, "off_topic_rejected": 0.90, "urgent_recall": 1.0},
    "blind_d.jsonl": {"hit@1": 0.90, "hit@3": 0.93, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_e.jsonl": {"hit@1": 0.85, "hit@3": 0.96, "off_topic_rejected": 0.90, "urgent_recall": 1.0},
    "blind_g.jsonl": {"hit@1": 0.88, "hit@3": 0.96, "off_topic_rejected": 0.90, "urgent_recall": 1.0},
    "blind_h.jsonl": {"hit@1": 0.88, "hit@3": 0.93, "off_topic_rejected": 0.90, "urgent_recall": 1.0},
    "blind_j.jsonl": {"hit@1": 0.86, "hit@3": 0.94, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_m.jsonl": {"hit@1": 0.86, "hit@3": 0.96, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_n.jsonl": {"hit@1": 0.93, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_o.jsonl": {"hit@1": 0.86, "hit@3": 0.90, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_p.jsonl": {"hit@1": 0.91, "hit@3": 0.95, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_q.jsonl": {"hit@1": 0.88, "hit@3": 0.98, "off_topic_rejected": 0.93, "urgent_recall": 1.0},
    "blind_r.jsonl": {"hit@1": 0.86, "hit@3": 0.96, "off_topic_rejected": 0.93, "urgent_recall": 1.0},
    "blind_s.jsonl": {"hit@1": 0.91, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_t.jsonl": {"hit@1": 0.85, "hit@3": 0.95, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_u.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_v.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_w.jsonl": {"hit@1": 0.85, "hit@3": 0.91, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_x.jsonl": {"hit@1": 0.85, "hit@3": 0.95, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_y.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_z.jsonl": {"hit@1": 0.93, "hit@3": 0.96, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_aa.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_ab.jsonl": {"hit@1": 0.88, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_ac.jsonl": {"hit@1": 0.91, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_ad.jsonl": {"hit@1": 0.91, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ae.jsonl": {"hit@1": 0.95, "hit@3": 0.96, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_af.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_ag.jsonl": {"hit@1": 0.91, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ah.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ai.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_aj.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ak.jsonl": {"hit@1": 0.91, "hit@3": 0.95, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_al.jsonl": {"hit@1": 0.91, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_am.jsonl": {"hit@1": 0.88, "hit@3": 0.95, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_an.jsonl": {"hit@1": 0.85, "hit@3": 0.9, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ao.jsonl": {"hit@1": 0.88, "hit@3": 0.95, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ap.jsonl": {"hit@1": 0.86, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_aq.jsonl": {"hit@1": 0.91, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ar.jsonl": {"hit@1": 0.83, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_as.jsonl": {"hit@1": 0.73, "hit@3": 0.8, "off_topic_rejected": 0.65, "urgent_recall": 1.0},
    "blind_at.jsonl": {"hit@1": 0.91, "hit@3": 0.95, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_au.jsonl": {"hit@1": 0.9, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_av.jsonl": {"hit@1": 0.9, "hit@3": 0.95, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_aw.jsonl": {"hit@1": 0.85, "hit@3": 0.96, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_ax.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ay.jsonl": {"hit@1": 0.83, "hit@3": 0.95, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_az.jsonl": {"hit@1": 0.91, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ba.jsonl": {"hit@1": 0.91, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_bb.jsonl": {"hit@1": 0.86, "hit@3": 0.95, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_bc.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_bd.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_be.jsonl": {"hit@1": 0.86, "hit@3": 0.95, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_bf.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_bg.jsonl": {"hit@1": 0.9, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_bh.jsonl": {"hit@1": 0.88, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_bi.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_bj.jsonl": {"hit@1": 0.86, "hit@3": 0.95, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_bk.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_bl.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_bm.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_bn.jsonl": {"hit@1": 0.83, "hit@3": 0.95, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_bo.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_bp.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_bq.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_br.jsonl": {"hit@1": 0.91, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_bs.jsonl": {"hit@1": 0.88, "hit@3": 0.93, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_bt.jsonl": {"hit@1": 0.9, "hit@3": 0.95, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_bu.jsonl": {"hit@1": 0.93, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_bv.jsonl": {"hit@1": 0.93, "hit@3": 0.95, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_bw.jsonl": {"hit@1": 0.91, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_bx.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_by.jsonl": {"hit@1": 0.86, "hit@3": 0.93, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_bz.jsonl": {"hit@1": 0.76, "hit@3": 0.93, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ca.jsonl": {"hit@1": 0.83, "hit@3": 0.95, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_cb.jsonl": {"hit@1": 0.91, "hit@3": 0.95, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_cc.jsonl": {"hit@1": 0.9, "hit@3": 0.95, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_cd.jsonl": {"hit@1": 0.86, "hit@3": 0.95, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ce.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_cf.jsonl": {"hit@1": 0.9, "hit@3": 0.95, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_cg.jsonl": {"hit@1": 0.91, "hit@3": 0.95, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ch.jsonl": {"hit@1": 0.91, "hit@3": 0.96, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_ci.jsonl": {"hit@1": 0.93, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_cj.jsonl": {"hit@1": 0.91, "hit@3": 0.96, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_ck.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_cl.jsonl": {"hit@1": 0.88, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_cm.jsonl": {"hit@1": 0.91, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_cn.jsonl": {"hit@1": 0.93, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_co.jsonl": {"hit@1": 0.91, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_cp.jsonl": {"hit@1": 0.88, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_cq.jsonl": {"hit@1": 0.9, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_cr.jsonl": {"hit@1": 0.9, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_cs.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ct.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_cu.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_cv.jsonl": {"hit@1": 0.88, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_cw.jsonl": {"hit@1": 0.85, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_cx.jsonl": {"hit@1": 0.91, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_cy.jsonl": {"hit@1": 0.91, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_cz.jsonl": {"hit@1": 0.83, "hit@3": 0.91, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_da.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_db.jsonl": {"hit@1": 0.85, "hit@3": 0.96, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_dc.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_dd.jsonl": {"hit@1": 0.9, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_de.jsonl": {"hit@1": 0.91, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_df.jsonl": {"hit@1": 0.91, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_dg.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_dh.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_di.jsonl": {"hit@1": 0.91, "hit@3": 0.95, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_dj.jsonl": {"hit@1": 0.91, "hit@3": 0.95, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_dk.jsonl": {"hit@1": 0.9, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_dl.jsonl": {"hit@1": 0.88, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_dm.jsonl": {"hit@1": 0.9, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_dn.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_do.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_dp.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_dq.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_dr.jsonl": {"hit@1": 0.88, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ds.jsonl": {"hit@1": 0.91, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_dt.jsonl": {"hit@1": 0.91, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_du.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_dv.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_dw.jsonl": {"hit@1": 0.91, "hit@3": 0.96, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_dx.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_dy.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_dz.jsonl": {"hit@1": 0.91, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_ea.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_eb.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_ec.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_ed.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ee.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_ef.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_eg.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_eh.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ei.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_ej.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_ek.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_el.jsonl": {"hit@1": 0.91, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_em.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_en.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_eo.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_ep.jsonl": {"hit@1": 0.9, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_eq.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_er.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_es.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_et.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_eu.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ev.jsonl": {"hit@1": 0.88, "hit@3": 0.95, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_ew.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ex.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_ey.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_ez.jsonl": {"hit@1": 0.83, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_fa.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_fb.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_fc.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_fd.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_fe.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_ff.jsonl": {"hit@1": 0.83, "hit@3": 0.93, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_fg.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_fh.jsonl": {"hit@1": 0.9, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_fi.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_fj.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_fk.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_fl.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_fm.jsonl": {"hit@1": 0.95, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_fn.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_fo.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_fp.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_fq.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_fr.jsonl": {"hit@1": 0.9, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_fs.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ft.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_fu.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_fv.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_fw.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_fx.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_fy.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_fz.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ga.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_gb.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_gc.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_gd.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_ge.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_gf.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_gg.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_gh.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_gi.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_gj.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_gk.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_gl.jsonl": {"hit@1": 0.88, "hit@3": 0.96, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_gm.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_gn.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_go.jsonl": {"hit@1": 0.96, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_gp.jsonl": {"hit@1": 0.9, "hit@3": 0.96, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_gq.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_gr.jsonl": {"hit@1": 0.9, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_gs.jsonl": {"hit@1": 0.96, "hit@3": 0.96, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_gt.jsonl": {"hit@1": 0.85, "hit@3": 0.93, "off_topic_rejected": 0.8, "urgent_recall": 1.0},
    "blind_gu.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_gv.jsonl": {"hit@1": 0.95, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_gw.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_gx.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_gy.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_gz.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 0.95},
    "blind_ha.jsonl": {"hit@1": 0.95, "hit@3": 0.96, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_hb.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_hc.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 0.95},
    "blind_hd.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_he.jsonl": {"hit@1": 0.85, "hit@3": 0.91, "off_topic_rejected": 0.65, "urgent_recall": 0.95},
    "blind_hf.jsonl": {"hit@1": 0.83, "hit@3": 0.95, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_hg.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_hh.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_hi.jsonl": {"hit@1": 0.93, "hit@3": 0.93, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_hj.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_hk.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_hl.jsonl": {"hit@1": 0.88, "hit@3": 0.96, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_hm.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_hn.jsonl": {"hit@1": 0.96, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_ho.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_hp.jsonl": {"hit@1": 0.93, "hit@3": 0.95, "off_topic_rejected": 0.95, "urgent_recall": 0.95},
    "blind_hq.jsonl": {"hit@1": 0.93, "hit@3": 0.96, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_hr.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 1.0},
    "blind_hs.jsonl": {"hit@1": 0.93, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "blind_ht.jsonl": {"hit@1": 0.95, "hit@3": 0.98, "off_topic_rejected": 0.95, "urgent_recall": 0.95},
    "blind_hu.jsonl": {"hit@1": 0.9, "hit@3": 0.95, "off_topic_rejected": 0.85, "urgent_recall": 1.0},
    "blind_hv.jsonl": {"hit@1": 0.98, "hit@3": 0.98, "off_topic_rejected": 0.9, "urgent_recall": 1.0},
    "off_topic_f.jsonl": {"off_topic_rejected": 0.78},
    "urgency.jsonl": {"urgent_recall": 1.0},
    "urgency_i.jsonl": {"urgent_recall": 1.0},
    "urgency_k.jsonl": {"urgent_recall": 1.0},
}
CEILINGS = {name: {"in_scope_no_match": 0.05, "urgent_false_alarms": 0.05} for name in FLOORS}
# A set that first measured above the no-match bar keeps its own ceiling until answers improve.
CEILINGS["blind_he.jsonl"]["in_scope_no_match"] = 0.07


def test_question_set_covers_the_bulletin():
    questions = read_questions(QUESTIONS)
    kinds = [q.type for q in questions]
    assert kinds.count("in_scope") >= 60 and kinds.count("off_topic") >= 12 and kinds.count("urgent") >= 6


def test_every_expectation_names_a_real_passage(index):
    texts = [p.text for p in index.passages]
    for name in FLOORS:
        for q in read_questions(EVAL / name):
            if q.expect:
                assert rank_of(texts, q.expect) is not None, q.question


@pytest.fixture(scope="module")
def figures(answerer):
    return {name: evaluate(answerer, read_questions(EVAL / name)).figures() for name in FLOORS}


@pytest.mark.parametrize("name, measure", [(n, m) for n, floors in FLOORS.items() for m in floors])
def test_quality_at_least(figures, name, measure):
    assert figures[name][measure] >= FLOORS[name][measure], figures[name]


@pytest.mark.parametrize("name, measure", [(n, m) for n, ceilings in CEILINGS.items() for m in ceilings])
def test_errors_at_most(figures, name, measure):
    assert figures[name][measure] <= CEILINGS[name][measure], figures[name]


def test_bad_question_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "q.jsonl"
    bad.write_text(json.dumps({"question": "x", "type": "sideways"}) + "\n")
    with pytest.raises(EvalError, match="q.jsonl:1"):
        read_questions(bad)
