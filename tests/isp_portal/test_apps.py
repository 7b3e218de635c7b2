import gc


def test_los_objetos_del_arranque_quedan_fuera_del_recolector():
    """IspPortalConfig.ready() freezes what Django and the apps loaded."""
    assert gc.get_freeze_count() > 10_000
