"""The demonstration and the processes of the portal, at the top of the house: the demo
campaign (``chargement``, with ``campagne`` and ``electeurs``) and its bureau de vote
(``bureau``), ``isoloir demo`` that loads them, and ``isoloir serve`` that runs the web
server, the worker and the sweeps together."""
