-- wrk script: POST pre-built OCSP requests (one per certificate, no nonce), cycling through them.
local dir = os.getenv("OCSP_REQ_DIR")
local count = tonumber(os.getenv("OCSP_REQ_COUNT"))
local bodies = {}
for i = 1, count do
  local f = assert(io.open(dir .. "/" .. i .. ".der", "rb"))
  bodies[i] = f:read("*all")
  f:close()
end
local n = 0
request = function()
  n = n % count + 1
  return wrk.format("POST", "/ocsp", { ["Content-Type"] = "application/ocsp-request" }, bodies[n])
end
