"""Sanity checks for the blind gold set (no look at the tool's code): the shared checks of
eval/gold/check_gold.py on blind.jsonl, and the paraphrase file (keys identical to the dev originals).
Run: python3 eval/gold/blind/check_blind.py
"""
import json, os, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from check_gold import check_set, has_diacritics  # noqa: E402

def main():
    ok = check_set(HERE, 'blind.jsonl')
    pp = os.path.join(HERE, 'paraphrase.jsonl')
    if os.path.exists(pp):
        dev = os.path.join(HERE, '..', 'dev.jsonl')
        prow = [json.loads(l) for l in open(pp, encoding='utf-8')]
        ids = [r['id'] for r in prow]
        perr = []
        if len(ids) != len(set(ids)): perr.append('dup ids in paraphrase')
        src = {json.loads(l)['id']: json.loads(l) for l in open(dev, encoding='utf-8')} if os.path.exists(dev) else {}
        for r in prow:
            s = src.get(r.get('paraphrase_of'))
            if s is None: perr.append(f'{r["id"]}: unknown paraphrase_of'); continue
            for k in ('doc','province','period','answer','unit','evidence','kind'):
                if r.get(k) != s.get(k): perr.append(f'{r["id"]}: key {k} differs from original')
        nd = sum(not has_diacritics(r['question_vi']) for r in prow)
        print(f'paraphrase.jsonl: {len(prow)} paraphrases of {len(set(r["paraphrase_of"] for r in prow))} dev items; without diacritics {nd}')
        for e in perr: print('  ERR', e)
        ok &= not perr
    print('ALL CHECKS PASSED' if ok else 'CHECKS FAILED')
    return 0 if ok else 1

if __name__ == '__main__':
    sys.exit(main())
