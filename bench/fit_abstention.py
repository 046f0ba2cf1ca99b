"""Fit the "not covered" rule: a logistic model over five retrieval signals.

Signals, computed by rag.retrieve.Retriever.search for each question (its decision's evidence):
  dense_top  the best dense similarity of any paragraph,
  coverage   the share of the question's words (idf-weighted) found in the best paragraph,
  known      the share of the question's words (idf-weighted) found anywhere in the document,
  fused      the fused score of the best paragraph,
  margin     dense_top less the cosine of the nearest everyday off-topic question
             (rag/data/background.txt, written without sight of any evaluation file).
Labels: in scope (gold given) or out of scope (kind "oos"). Fitted on the project's own
questions (eval/questions.jsonl), never on the development set. Questions a typed rule
decides (the decision's reason says so) are left out of the fit. Prints the coefficients
to copy into rag.retrieve.Params, and the rates they give on each file named.

    python bench/fit_abstention.py eval/questions.jsonl [more.jsonl ...]
"""

from __future__ import annotations

import sys

import numpy as np
from sklearn.linear_model import LogisticRegression

from rag.config import Config
from rag.engine import Engine
from rag.evaluate import read_items


def signals(engine: Engine, path: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Signals, labels (1 = in scope), and what a rule decided already: -1 refused (an
    answer-type rule), +1 answered (a question about the article itself), 0 the model decides."""
    xs, ys, typed = [], [], []
    for it in read_items(path):
        d = engine.retrieve(it.question, it.lang, 3).decision
        xs.append(d.evidence.features)
        ys.append(0.0 if it.kind == "oos" or not it.gold else 1.0)
        typed.append((-1 if d.refuse else 1) if d.by_rule else 0)
    return np.array(xs), np.array(ys), np.array(typed)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.01, in_scope_weight: float = 2.0) -> np.ndarray:
    """Weighted logistic regression, the weights (not the bias) L2-penalized by `l2` / 2 times
    their squared norm: scikit-learn's C is 1 / l2. In-scope questions weigh more: refusing a
    covered question costs the user more than one extra answer. Returns (bias, weights...).
    Newton's method run to a tight tolerance, as the hand-written fit this replaced: the same
    coefficients on eval/questions.jsonl to 1e-12 (lbfgs at its default tolerance stops 0.2 away)."""
    model = LogisticRegression(C=1 / l2, solver="newton-cholesky", tol=1e-10, max_iter=1000)
    model.fit(x, y, sample_weight=np.where(y == 1, in_scope_weight, 1.0))
    return np.r_[model.intercept_, model.coef_[0]]


def rates(w: np.ndarray, x: np.ndarray, y: np.ndarray, typed: np.ndarray) -> tuple[float, float]:
    keep = np.where(typed == 0, (np.hstack([np.ones((len(x), 1)), x]) @ w) >= 0, typed > 0)
    return float(np.mean(~keep[y == 0])), float(np.mean(~keep[y == 1]))


def calibrate(w: np.ndarray, x: np.ndarray, y: np.ndarray, max_false: float) -> np.ndarray:
    """Move the bias so that at most `max_false` of in-scope questions are refused, and as
    many out-of-scope ones as that allows."""
    z = np.hstack([np.ones((len(x), 1)), x]) @ w
    inscope = np.sort(z[y == 1])
    allowed = int(np.floor(max_false * len(inscope)))
    # Threshold halfway between the last in-scope score we may refuse and the next one.
    cut = (inscope[allowed - 1] + inscope[allowed]) / 2 if allowed > 0 else inscope[0] - 1e-3
    return np.r_[w[0] - cut, w[1:]]


def main(paths: list[str], max_false: float = 0.02) -> None:
    engine = Engine.open(Config.from_env())
    x, y, typed = signals(engine, paths[0])
    # Questions a rule decides are left out of the fit.
    free = typed == 0
    w = calibrate(fit(x[free], y[free]), x[free], y[free], max_false)
    print(f"fitted on {paths[0]}: {int(y.sum())} in scope, {int((1 - y).sum())} out of scope")
    print(f"abstain_bias={w[0]:.2f}, abstain_dense={w[1]:.2f}, abstain_coverage={w[2]:.2f}, "
          f"abstain_known={w[3]:.2f}, abstain_fused={w[4]:.2f}, abstain_margin={w[5]:.2f}")
    for path in paths:
        xx, yy, tt = signals(engine, path) if path != paths[0] else (x, y, typed)
        oos, false = rates(w, xx, yy, tt)
        print(f"{path}: out-of-scope refused {oos:.2f}, in-scope refused {false:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["eval/questions.jsonl"])
