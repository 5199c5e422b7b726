def test_page(client, open_call):
    r = client.get(open_call.url)
    assert r.status_code == 200
    html = r.content.decode(); i = html.find("il-participation\""); print(html[i-200:i+9000])
