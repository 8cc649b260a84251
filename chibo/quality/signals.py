"""Keep the monthly indicators current as the facts behind them change."""
