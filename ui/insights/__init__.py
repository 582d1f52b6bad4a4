"""The Insights page (imported only when first shown: start-up stays as fast)."""
