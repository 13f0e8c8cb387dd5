enum ... { A };
