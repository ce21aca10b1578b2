"""`python app.py` starts the officials' app on 127.0.0.1 (BAOCAO_INDEX, BAOCAO_HOST, BAOCAO_PORT).

The app itself lives in `rag.ui.app`; this file stays thin so `baocao serve` and `python app.py` are the same.
"""

from rag.ui.app import main

if __name__ == "__main__":
    main()
