"""The demonstration and the processes of the portal, at the top of the house: the demo
campaign and its bureau de vote (``chargement``, ``bureau``), ``isoloir demo`` that loads
them, and ``isoloir serve`` that runs the web server, the worker and the sweeps together."""
