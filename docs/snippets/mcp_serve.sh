# In the folder of the module that holds the registry (here docs/snippets/mcp_serve.py):
aiecs-mcp serve mcp_serve:registry                                 # stdio: what clients spawn
aiecs-mcp serve mcp_serve:registry --transport streamable-http --port 8000
# the second serves http://127.0.0.1:8000/mcp (--host 127.0.0.1 is the default)
