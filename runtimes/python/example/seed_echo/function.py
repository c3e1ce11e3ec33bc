# Seed 002's "Simple Echo Function", as the seed writes it: handle(request) gets the request (see ../../README.md).
def handle(request):
    return {
        "echo": request.get_json(),
        "method": request.method
    }
