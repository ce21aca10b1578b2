"""Sanity checks for the realdev5 development set: the shared checks of eval/gold/check_gold.py.
Run: python3 eval/gold/realdev5/check_realdev5.py
"""
import os, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from check_gold import check_set  # noqa: E402


def main():
    ok = check_set(HERE, 'realdev5.jsonl')
    print('ALL CHECKS PASSED' if ok else 'CHECKS FAILED')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
