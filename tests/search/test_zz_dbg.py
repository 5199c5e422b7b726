from search.types import SearchQuery
def test_dbg(backend, publish_asset):
    publish_asset(title="Pašvaldības iedzīvotāju aptauja", summary="Aptaujas veidne iedzīvotājiem.", languages=["lv"])
    print(backend.client.indices.get_settings(index=backend.alias).body)
    print(backend.client.indices.analyze(index=backend.alias, analyzer="il_lv", text="Pašvaldības iedzīvotāju biblioteca").body)
    for f in ["title", "title_lv", "summary_lv", "text_lv"]:
        print(f, backend.client.search(index=backend.alias, query={"match": {f: "biblioteca"}})["hits"]["total"])
