-- wrk script: each connection waits N ms after each response before its next request, so the load
-- stays far below the server's and wrk's capacity and the latency is the server's, not queueing
-- behind a saturated client. usage: wrk -s paced.lua <url> -- <pause ms>
init = function(args)
  pause = tonumber(args[1]) or 1
end

delay = function()
  return pause
end
