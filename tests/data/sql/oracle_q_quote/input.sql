INSERT INTO log_t (msg) SELECT q'[it's; here]' || note FROM notes;
